package org.csemu.fabric.spi;

/**
 * The substrate side of QA fault injection. Each call only causes the fault; what follows (a crash event, a lost
 * heartbeat, a failed boot) reaches the controller through {@link RuntimeEvents} or a failed runtime call, exactly as
 * a real fault would, so injected faults exercise the real healing path.
 */
public interface FaultInjector {

    /** SIGKILL the QEMU process of the instance (the substrate then reports {@link RuntimeEvent.Crashed}). */
    void killProcess(InstanceRef ref);

    /**
     * Panic the guest kernel (not the agent, not QEMU): the guest's crash notification (pvpanic) makes the substrate
     * report {@link RuntimeEvent.Crashed}, and the overlay is kept, as for any crash.
     */
    void crashGuest(InstanceRef ref);

    /** Pause the domain's vCPUs: the guest hangs, heartbeats stop. */
    void pause(InstanceRef ref);

    /** Destroy the domain as a failed host would: the controller then moves the instance to new hardware. */
    void failHost(InstanceRef ref);

    /** Make the guest agent stop sending heartbeats while the guest keeps running. */
    void stopHeartbeats(InstanceRef ref);

    /** Make the next {@link InstanceRuntime#boot} of the instance fail. */
    void failNextBoot(InstanceRef ref);
}
