package org.csemu.fabric.deployment;

import org.csemu.fabric.lifecycle.Trigger;

/** The QA fault-injection requests. */
public enum InjectedFault {
    KILL_PROCESS(Trigger.FAULT_KILL_PROCESS),
    /** A real guest kernel panic; the substrate reports it as a crash, like a killed QEMU. */
    GUEST_CRASH(Trigger.FAULT_GUEST_CRASH),
    PAUSE(Trigger.FAULT_PAUSE),
    HOST_FAILURE(Trigger.FAULT_HOST_FAILURE),
    STOP_HEARTBEATS(Trigger.FAULT_STOP_HEARTBEATS),
    FAIL_NEXT_BOOT(Trigger.FAULT_FAIL_NEXT_BOOT);

    private final Trigger trigger;

    InjectedFault(Trigger trigger) {
        this.trigger = trigger;
    }

    public Trigger trigger() {
        return trigger;
    }
}
