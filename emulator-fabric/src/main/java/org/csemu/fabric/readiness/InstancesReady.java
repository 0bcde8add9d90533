package org.csemu.fabric.readiness;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.csemu.fabric.lifecycle.InstanceState;

/**
 * Role instances are all {@link InstanceState#READY_ROLE}, as many as expected: a deployment, a role, one instance.
 * Not yet names the first instance that is not Ready (or how many there are); with {@link #failingOnFailedStart()}
 * an instance that failed to start is a definite answer. A role that cannot run in this guest always is.
 */
public final class InstancesReady implements Ready {

    /** The InstanceErrorCode of a role that cannot run in this guest: it will never be Ready. */
    public static final String NOT_RUNNABLE = "RoleNotRunnable";

    /** One instance as a look sees it; {@code errorCode} and {@code details} may be null. */
    public record Instance(String id, InstanceState state, String errorCode, String details) {
        public Instance(String id, InstanceState state) {
            this(id, state, null, null);
        }
    }

    /** What one look sees: the instances, and how many there should be ({@code -1}: whatever there are, at least one). */
    public record Snapshot(List<Instance> instances, int expected) {

        public static Snapshot of(List<Instance> instances, int expected) {
            return new Snapshot(instances, expected);
        }

        public static Snapshot all(List<Instance> instances) {
            return new Snapshot(instances, -1);
        }
    }

    private static final Set<InstanceState> FAILED_START =
            EnumSet.of(InstanceState.FAILED_STARTING_ROLE, InstanceState.FAILED_STARTING_VM);

    private final Callable<Snapshot> look;
    private final boolean failOnFailedStart;

    private InstancesReady(Callable<Snapshot> look, boolean failOnFailedStart) {
        this.look = look;
        this.failOnFailedStart = failOnFailedStart;
    }

    /** Ready when a look sees its expected number of instances, all Ready. */
    public static InstancesReady of(Callable<Snapshot> look) {
        return new InstancesReady(look, false);
    }

    /** The same, but an instance in {@code FailedStartingRole} or {@code FailedStartingVM} fails the wait. */
    public InstancesReady failingOnFailedStart() {
        return new InstancesReady(look, true);
    }

    @Override
    public Status check() throws Exception {
        return status(look.call(), failOnFailedStart);
    }

    /** The answer for one snapshot, without waiting (the first instance not Ready, else the count). */
    public static Status status(Snapshot now, boolean failOnFailedStart) {
        for (Instance i : now.instances()) {
            if (i.state() == InstanceState.READY_ROLE) {
                continue;
            }
            String which = i.id() + " " + i.state().cloudName();
            if (NOT_RUNNABLE.equals(i.errorCode())) {
                return Status.failed(which + " (" + NOT_RUNNABLE + "): " + i.details());
            }
            return failOnFailedStart && FAILED_START.contains(i.state()) ? Status.failed(which) : Status.notYet(which);
        }
        int n = now.instances().size();
        if (now.expected() >= 0 ? n != now.expected() : n == 0) {
            return Status.notYet(n + " of " + (now.expected() >= 0 ? now.expected() : "some") + " instances");
        }
        return Status.ready();
    }
}
