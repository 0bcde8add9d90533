package org.csemu.fabric.instance;

/**
 * What the host has observed of one instance VM, from disk creation to Ready (or a failure). The fabric
 * controller maps these onto the cloud's instance states; this enum stays close to what was actually seen.
 */
public enum InstancePhase {
    /** Nothing created yet. */
    NEW(false),
    CREATING_DISKS(false),
    /** The domain is defined and started; the agent has not said hello in this boot yet. */
    STARTING_VM(false),
    /** The agent said hello. */
    BOOTING(false),
    /** First boot: the answer file was applied and the guest restarts. */
    SETUP_RESTART(false),
    RUNNING_TASKS(false),
    STARTING_SERVICES(false),
    READY(false),
    BUSY(false),
    /** A graceful stop or reboot was requested. */
    STOPPING(false),
    /** The domain is off (intentionally). */
    STOPPED(false),
    DELETED(false),
    /** The disks, config drive or domain definition could not be created (the detail says why). */
    FAILED_TO_CREATE(true),
    /** A simple startup task exited non-zero; the instance will not become Ready. */
    FAILED_TASK(true),
    /** The agent did not say hello within the hello deadline. */
    AGENT_TIMEOUT(true),
    /** Everything started but the agent did not report Ready within the ready deadline. */
    READY_TIMEOUT(true),
    /** The guest or QEMU died (lifecycle event), or the domain could not be started. */
    CRASHED(true);

    private final boolean failure;

    InstancePhase(boolean failure) {
        this.failure = failure;
    }

    public boolean isFailure() {
        return failure;
    }

    /** Waiting for Ready ends here: Ready or a failure. */
    public boolean isSettled() {
        return this == READY || failure;
    }
}
