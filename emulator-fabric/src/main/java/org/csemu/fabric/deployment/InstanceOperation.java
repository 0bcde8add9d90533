package org.csemu.fabric.deployment;

import org.csemu.fabric.lifecycle.Trigger;

/** The per-instance operations a user can ask for on instances, a role or a whole deployment. */
public enum InstanceOperation {
    REBOOT(Trigger.REBOOT),
    REIMAGE(Trigger.REIMAGE),
    REBUILD(Trigger.REBUILD),
    STOP(Trigger.STOP),
    START(Trigger.START),
    DELETE(Trigger.DELETE);

    private final Trigger trigger;

    InstanceOperation(Trigger trigger) {
        this.trigger = trigger;
    }

    public Trigger trigger() {
        return trigger;
    }
}
