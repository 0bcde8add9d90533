package org.csemu.fabric.runtime;

import java.time.Instant;
import org.csemu.fabric.spi.InstanceRef;

/**
 * The fabric changed an instance's eligibility on the VIP: every listener of its role was updated before this was
 * recorded (the LB rebuilds its rotation before {@code setEligible} returns).
 *
 * @param nanoTime {@link System#nanoTime()} when the change was complete, for precise latency measurements
 */
public record RotationChange(Instant at, long nanoTime, InstanceRef ref, boolean inRotation) {
}
