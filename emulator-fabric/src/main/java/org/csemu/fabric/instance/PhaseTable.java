package org.csemu.fabric.instance;

import org.csemu.fabric.agent.AgentMessage;

/**
 * The one table of how agent messages move an instance's observed phase. Pure, so every row is unit-tested;
 * lifecycle events and operations are handled by {@link InstanceVm} around it.
 */
public final class PhaseTable {

    private PhaseTable() {
    }

    public static InstancePhase next(InstancePhase current, AgentMessage message) {
        if (current == InstancePhase.DELETED || current == InstancePhase.STOPPED) {
            return current; // late lines after we stopped the guest change nothing
        }
        if (message instanceof AgentMessage.Hello) {
            return InstancePhase.BOOTING;
        }
        if (message instanceof AgentMessage.Setup s) {
            return s.restart() ? InstancePhase.SETUP_RESTART : current;
        }
        if (message instanceof AgentMessage.Task t) {
            if (t.failed()) {
                return InstancePhase.FAILED_TASK;
            }
            return sticky(current) ? current : InstancePhase.RUNNING_TASKS;
        }
        if (message instanceof AgentMessage.Service) {
            return sticky(current) ? current : InstancePhase.STARTING_SERVICES;
        }
        if (message instanceof AgentMessage.Status s) {
            if (current == InstancePhase.FAILED_TASK) {
                return current;
            }
            if ("Ready".equals(s.status())) {
                return InstancePhase.READY;
            }
            if ("Busy".equals(s.status())) {
                return InstancePhase.BUSY;
            }
            return current; // Recycle: the controller decides
        }
        if (message instanceof AgentMessage.Heartbeat hb) {
            // a heartbeat carries the agent's current status: it reconciles a missed status line and lets an
            // adopted instance (daemon restart) find its phase again
            if (current == InstancePhase.FAILED_TASK || current == InstancePhase.STOPPING) {
                return current;
            }
            if ("Ready".equals(hb.status())) {
                return InstancePhase.READY;
            }
            if ("Busy".equals(hb.status())) {
                return InstancePhase.BUSY;
            }
        }
        return current; // log, ack, unknown
    }

    /** Phases a later task/service line must not overwrite (failure, or already past them). */
    private static boolean sticky(InstancePhase current) {
        return current == InstancePhase.FAILED_TASK || current == InstancePhase.READY || current == InstancePhase.BUSY
                || current == InstancePhase.STOPPING;
    }
}
