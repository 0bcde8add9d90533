package org.csemu.fabric.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.fabric.persist.JsonFileStore;

/**
 * The configuration and topology changes being walked, on disk ({@code configuration-changes.json}): which
 * instances each one still has to reach. A daemon restart resumes every walk where it stopped, reporting into the
 * same operation, instead of leaving the instances not walked yet on the old configuration.
 */
final class ConfigurationChanges {

    /**
     * One walk in progress.
     *
     * @param remaining instance ids not confirmed yet, in walk order
     * @param blast     every instance at once (topology change of a {@code Blast} service), else by upgrade domain
     */
    record Pending(String deploymentId, String operationId, List<RoleConfigurationDelta> deltas, List<String> remaining,
                   boolean blast) {
        Pending {
            deltas = List.copyOf(deltas);
            remaining = List.copyOf(remaining);
        }

        Pending without(String instanceId) {
            List<String> left = new ArrayList<>(remaining);
            left.remove(instanceId);
            return new Pending(deploymentId, operationId, deltas, left, blast);
        }
    }

    /** The persisted form. */
    record State(List<Pending> pending) {
        State {
            pending = pending == null ? List.of() : List.copyOf(pending);
        }
    }

    private final JsonFileStore<State> store;
    private final Map<String, Pending> byOperation = new LinkedHashMap<>();

    ConfigurationChanges(Path file) {
        this.store = new JsonFileStore<>(file, State.class);
        store.load().ifPresent(s -> s.pending().forEach(p -> byOperation.put(p.operationId(), p)));
    }

    synchronized void start(Pending pending) {
        byOperation.put(pending.operationId(), pending);
        save();
    }

    /** One instance of a walk is confirmed (changed, recycled, or failed and reported). */
    synchronized void done(String operationId, String instanceId) {
        Pending p = byOperation.get(operationId);
        if (p != null) {
            byOperation.put(operationId, p.without(instanceId));
            save();
        }
    }

    synchronized void finish(String operationId) {
        if (byOperation.remove(operationId) != null) {
            save();
        }
    }

    synchronized List<Pending> all() {
        return List.copyOf(byOperation.values());
    }

    synchronized Optional<Pending> get(String operationId) {
        return Optional.ofNullable(byOperation.get(operationId));
    }

    private void save() {
        store.save(new State(List.copyOf(byOperation.values())));
    }
}
