package org.csemu.fabric.lifecycle;

import java.time.Instant;

/**
 * One transition, as written to the deployment's event log (one JSON line each).
 *
 * @param operationId the operation that caused it, or null for runtime events and timers
 * @param to          the state name after it, or {@code (removed)}
 * @param cause       a human-readable detail (crash reason, task exit code, fault kind)
 */
public record LifecycleEvent(
        Instant timestamp,
        String deploymentId,
        String instanceId,
        String from,
        String to,
        Trigger trigger,
        String cause,
        String operationId) {
}
