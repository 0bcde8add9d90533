package org.csemu.fabric.api;

import java.time.Instant;
import java.util.Objects;

/**
 * An asynchronous operation (the classic request id).
 *
 * @param id operation id, used in {@code /api/v1/operations/{id}}
 * @param kind what it does ({@code CreateDeployment}, {@code RebootInstance}, ...)
 * @param target the resource it acts on ({@code deployments/d1/instances/WebRole_IN_0})
 * @param status InProgress, Succeeded or Failed
 * @param startedAt when it was accepted
 * @param finishedAt when it ended, or {@code null}
 * @param error why it failed, or {@code null}
 */
public record OperationView(String id, String kind, String target, OperationStatus status, Instant startedAt,
        Instant finishedAt, ErrorView error) {
    public OperationView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }
}
