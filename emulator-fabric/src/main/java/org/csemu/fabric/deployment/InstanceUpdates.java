package org.csemu.fabric.deployment;

import static org.csemu.fabric.lifecycle.InstanceState.*;

import java.util.EnumSet;
import java.util.Set;
import org.csemu.fabric.lifecycle.DiskPolicy.BootReason;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Transition;
import org.csemu.fabric.lifecycle.Trigger;

/**
 * How a transition changes an instance's desired record: generations, desired power and the intent of the step that
 * follows. Applied in the same atomic update as the state change, so the intent is on disk before the runtime call.
 */
final class InstanceUpdates {
    private static final Set<Trigger> RECYCLES = EnumSet.of(Trigger.REBOOT, Trigger.RECYCLE_REQUESTED,
            Trigger.GRACE_EXPIRED, Trigger.BACKOFF_EXPIRED, Trigger.REIMAGE);
    private static final Set<InstanceState> BOOTING = EnumSet.of(CREATING_VM, STOPPING_ROLE, RESTARTING_ROLE,
            CYCLING_ROLE);

    private InstanceUpdates() {
    }

    static InstanceRecord apply(Transition t, InstanceRecord r, String operationId) {
        Trigger trigger = t.trigger();
        InstanceState to = t.to().orElse(null);
        InstanceRecord next = r;
        // resuming a step a daemon crash interrupted: the generations it reserved are still the right ones
        boolean resuming = t.from() == ROLE_STATE_UNKNOWN && r.intent() != null;
        if (to == CREATING_VM && !resuming) {
            next = next.nextOverlay();
        }
        if (RECYCLES.contains(trigger) && !resuming) {
            next = next.nextRecycle();
        }
        switch (trigger) {
            case START, RESUME, CREATE, REIMAGE, REBUILD -> next = next.withDesired(DesiredPower.RUNNING);
            case STOP -> next = next.withDesired(DesiredPower.STOPPED);
            case SUSPEND -> next = next.withDesired(DesiredPower.DEALLOCATED);
            // the overlay it will get at its first start is reserved now, as CREATE reserves it at CreatingVM
            case CREATE_SUSPENDED -> next = next.withDesired(DesiredPower.DEALLOCATED).nextOverlay();
            default -> { }
        }
        if (to == null || t.from() == to && trigger.kind() == Trigger.Kind.FAULT) {
            return next;
        }
        if (BOOTING.contains(to) || (to == STARTING_VM && (trigger == Trigger.START || trigger == Trigger.RESUME))) {
            return next.withIntent(new Intent(operationId, trigger, "boot:" + BootReason.after(trigger)));
        }
        if (to == STOPPING_VM) {
            return next.withIntent(new Intent(operationId, trigger, "shutdown"));
        }
        if (to == DELETING_VM) {
            return next.withIntent(new Intent(operationId, trigger, "delete"));
        }
        if (trigger == Trigger.DOMAIN_STARTED || trigger == Trigger.DOMAIN_STOPPED || trigger == Trigger.DEALLOCATED
                || to == FAILED_STARTING_VM || to == STOPPED_VM || to == STOPPED_DEALLOCATED) {
            return next.withIntent(null);
        }
        return next;
    }
}
