package org.csemu.fabric.deployment;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.util.List;

/**
 * A snapshot of an asynchronous operation, as the cloud's Get Operation Status reports it, plus progress.
 *
 * @param completed instances whose part is done (succeeded or failed)
 * @param errors    one line per failed instance
 */
public record OperationRecord(String id, String kind, String target, Status status, int completed, int total,
                              List<String> errors, Instant started, Instant finished) {
    public OperationRecord {
        errors = List.copyOf(errors);
    }

    /** The cloud's operation status values. */
    public enum Status {
        IN_PROGRESS("InProgress"), SUCCEEDED("Succeeded"), FAILED("Failed");

        private final String cloudName;

        Status(String cloudName) {
            this.cloudName = cloudName;
        }

        @JsonValue
        public String cloudName() {
            return cloudName;
        }
    }

    public boolean done() {
        return status != Status.IN_PROGRESS;
    }
}
