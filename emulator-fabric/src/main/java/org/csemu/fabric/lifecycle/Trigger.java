package org.csemu.fabric.lifecycle;

/**
 * Everything that may move an instance from one state to another. Operations and fault requests come from users
 * and are refused when the table has no row for them; runtime events and internal triggers come from the substrate,
 * the controller's own calls and its timers, and are ignored as stale when the table has no row (they race with
 * operations by nature).
 */
public enum Trigger {
    // operations
    CREATE(Kind.OPERATION, "create the instance (deployment create, scale out)"),
    CREATE_SUSPENDED(Kind.OPERATION, "create the instance without starting it (deployment created suspended)"),
    START(Kind.OPERATION, "start a stopped instance"),
    STOP(Kind.OPERATION, "stop the instance, keep its disks"),
    REBOOT(Kind.OPERATION, "reboot on the same overlay"),
    REIMAGE(Kind.OPERATION, "new overlay from the base image, local storage kept"),
    REBUILD(Kind.OPERATION, "new overlay and new local storage"),
    DELETE(Kind.OPERATION, "delete the instance"),
    SCALE_IN(Kind.OPERATION, "remove the instance when its role scales in (drained first)"),
    SUSPEND(Kind.OPERATION, "deployment suspended: stop the instance"),
    RESUME(Kind.OPERATION, "deployment resumed: start the instance"),
    // fault injection requests
    FAULT_KILL_PROCESS(Kind.FAULT, "kill the QEMU process"),
    FAULT_GUEST_CRASH(Kind.FAULT, "panic the guest kernel (Alt+SysRq+C through libvirt)"),
    FAULT_PAUSE(Kind.FAULT, "pause the domain (hang)"),
    FAULT_HOST_FAILURE(Kind.FAULT, "simulate a host failure"),
    FAULT_STOP_HEARTBEATS(Kind.FAULT, "make the agent stop heartbeating"),
    FAULT_FAIL_NEXT_BOOT(Kind.FAULT, "make the next boot fail"),
    // runtime events (substrate, guest agent)
    CRASHED(Kind.EVENT, "the domain stopped unexpectedly"),
    AGENT_HELLO_FIRST_BOOT(Kind.EVENT, "agent hello on a fresh overlay"),
    AGENT_HELLO(Kind.EVENT, "agent hello (setup already done)"),
    SETUP_RESTART(Kind.EVENT, "first-boot setup done, guest restarts"),
    TASK_FAILED(Kind.EVENT, "a simple startup task failed"),
    STATUS_READY(Kind.EVENT, "agent reports Ready"),
    STATUS_BUSY(Kind.EVENT, "agent reports Busy"),
    STATUS_NOT_RUNNABLE(Kind.EVENT, "agent reports the role cannot run in this guest", "RoleNotRunnable"),
    RECYCLE_REQUESTED(Kind.EVENT, "role code requested a recycle"),
    // internal: results of the controller's own calls, timers, recovery
    DOMAIN_STARTED(Kind.INTERNAL, "the runtime started the domain"),
    START_FAILED(Kind.INTERNAL, "the runtime could not start the domain"),
    DOMAIN_STOPPED(Kind.INTERNAL, "the runtime stopped the domain"),
    DEALLOCATED(Kind.INTERNAL, "the runtime stopped the domain for a suspend"),
    DELETED(Kind.INTERNAL, "the runtime deleted the domain and disks"),
    HEARTBEAT_LOST(Kind.INTERNAL, "no heartbeat within the heartbeat timeout"),
    GRACE_EXPIRED(Kind.INTERNAL, "still unresponsive after the grace period"),
    BACKOFF_EXPIRED(Kind.INTERNAL, "back-off delay after a failed start elapsed"),
    DOMAIN_LOST(Kind.INTERNAL, "recovery found neither domain nor disks"),
    DAEMON_RESTARTED(Kind.INTERNAL, "the fabric daemon restarted (recovery)"),
    CONFIGURATION_CHANGED(Kind.INTERNAL, "a new configuration was applied in place (Changing, then Changed)");

    /** Where a trigger comes from, which decides whether a missing row is an error or a stale event. */
    public enum Kind { OPERATION, FAULT, EVENT, INTERNAL }

    private final Kind kind;
    private final String meaning;
    private final String errorCode;

    Trigger(Kind kind, String meaning) {
        this(kind, meaning, null);
    }

    Trigger(Kind kind, String meaning, String errorCode) {
        this.kind = kind;
        this.meaning = meaning;
        this.errorCode = errorCode;
    }

    /** The InstanceErrorCode the state it leads to carries (shown by the API and the CLI), or null. */
    public String errorCode() {
        return errorCode;
    }

    public Kind kind() {
        return kind;
    }

    public String meaning() {
        return meaning;
    }

    /** Requested by a user: refused with an error when the table does not allow it. */
    public boolean isRequest() {
        return kind == Kind.OPERATION || kind == Kind.FAULT;
    }
}
