package org.csemu.fabric.api;

import java.time.Instant;

/**
 * One entry of a deployment's event log: a state transition, an operation step, a guest message.
 *
 * @param sequence strictly increasing across the daemon (the SSE event id; resume with {@code Last-Event-ID})
 * @param time when it happened
 * @param deploymentId the deployment, or {@code null} for daemon-wide events (images)
 * @param instanceId the instance, or {@code null}
 * @param type {@code StateChanged}, {@code OperationStarted}, {@code OperationSucceeded}, {@code GuestLog}, ...
 * @param from previous state for a transition, else {@code null}
 * @param to new state for a transition, else {@code null}
 * @param message human-readable detail
 */
public record EventView(long sequence, Instant time, String deploymentId, String instanceId, String type, String from,
        String to, String message) {
}
