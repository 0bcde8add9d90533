package org.csemu.fabric.spi;

import java.time.Duration;

/**
 * The load balancer's rotation as the controller feeds it. The controller publishes eligibility from the instance
 * state (ReadyRole only); the LB may still gate an eligible instance on its own health probe.
 */
public interface RotationPublisher {

    /** The instance may receive new connections (it is ReadyRole). */
    void putInRotation(InstanceRef ref);

    /** No new connections to the instance, at once. Idempotent. */
    void takeOutOfRotation(InstanceRef ref);

    /** Block until the instance's existing connections have ended or the deadline passed. */
    void drain(InstanceRef ref, Duration deadline);

    /** Forget the instance entirely (it was deleted). */
    void remove(InstanceRef ref);
}
