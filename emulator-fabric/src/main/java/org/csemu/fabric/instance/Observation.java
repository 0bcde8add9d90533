package org.csemu.fabric.instance;

import java.time.Instant;

/**
 * One thing the host saw happen to an instance, in order: a phase change, an agent message, a lifecycle event.
 *
 * @param phase  the phase after this observation
 * @param kind   what was observed: {@code hello}, {@code setup}, {@code task}, {@code service}, {@code status},
 *               {@code rebooted}, {@code crashed}, {@code timeout}, {@code operation}, ...
 * @param detail human-readable detail (e.g. a task's exit code and output tail)
 */
public record Observation(Instant at, InstancePhase phase, String kind, String detail) {
}
