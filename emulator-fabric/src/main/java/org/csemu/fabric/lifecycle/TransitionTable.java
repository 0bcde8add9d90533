package org.csemu.fabric.lifecycle;

import static org.csemu.fabric.lifecycle.InstanceState.*;
import static org.csemu.fabric.lifecycle.Trigger.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * THE lifecycle of a role instance, as data: (state, trigger) → next state. Every operation, fault request, runtime
 * event and timer goes through {@link #find}; there is no other place that decides a state. {@code docs/lifecycle.md}
 * is generated from {@link #rows()} (and a test checks it is up to date).
 */
public final class TransitionTable {

    /** Running states: a domain runs and the guest may talk to us. */
    public static final Set<InstanceState> RUNNING = Collections.unmodifiableSet(EnumSet.of(
            STARTING_VM, CREATING_ROLE, STARTING_ROLE, READY_ROLE, BUSY_ROLE, UNRESPONSIVE_ROLE, FAILED_STARTING_ROLE));

    /**
     * States in which the guest agent runs and takes commands (exec): the booted guest's states, and RoleStateUnknown,
     * which after a daemon restart is a guest that has not spoken yet, not one that is gone.
     */
    public static final Set<InstanceState> GUEST_AGENT_UP = Collections.unmodifiableSet(EnumSet.of(
            STARTING_ROLE, READY_ROLE, BUSY_ROLE, UNRESPONSIVE_ROLE, FAILED_STARTING_ROLE, ROLE_STATE_UNKNOWN));

    /**
     * States in which a runtime call of the controller is in flight; user operations are refused there (like Nova's
     * task_state lock), so two operations never race on one instance.
     */
    public static final Set<InstanceState> IN_FLIGHT = Collections.unmodifiableSet(EnumSet.of(
            CREATING_VM, STOPPING_ROLE, STOPPING_VM, DELETING_VM, RESTARTING_ROLE, CYCLING_ROLE));

    private static final TransitionTable INSTANCE = new TransitionTable();

    private final Map<InstanceState, Map<Trigger, Transition>> byState = new LinkedHashMap<>();
    private final List<Transition> rows = new ArrayList<>();

    private TransitionTable() {
        Set<InstanceState> settledWithDomain = union(RUNNING, EnumSet.of(ROLE_STATE_UNKNOWN, FAILED_STARTING_VM));
        Set<InstanceState> reimageable = union(settledWithDomain, EnumSet.of(STOPPED_VM, STOPPED_DEALLOCATED));
        Set<InstanceState> deletable = union(reimageable, EnumSet.of(PREPARING));

        // first boot: Preparing → CreatingVM → StartingVM → CreatingRole → (setup restart) → StartingRole → ReadyRole
        row(PREPARING, CREATE, CREATING_VM);
        // created suspended (StartDeployment=false): settled as a suspended instance, disks made at the first start
        row(PREPARING, CREATE_SUSPENDED, STOPPED_DEALLOCATED);
        row(ROLE_STATE_UNKNOWN, CREATE, CREATING_VM);
        row(CREATING_VM, DOMAIN_STARTED, STARTING_VM);
        row(CREATING_VM, START_FAILED, FAILED_STARTING_VM);
        row(STARTING_VM, AGENT_HELLO_FIRST_BOOT, CREATING_ROLE);
        row(STARTING_VM, AGENT_HELLO, STARTING_ROLE);
        row(CREATING_ROLE, SETUP_RESTART, CREATING_ROLE);
        row(CREATING_ROLE, AGENT_HELLO, STARTING_ROLE);
        row(STARTING_ROLE, STATUS_READY, READY_ROLE);
        row(STARTING_ROLE, STATUS_BUSY, BUSY_ROLE);
        // a role that cannot run in a Linux guest: Busy (out of rotation, never recycled) with the reason
        rows(EnumSet.of(STARTING_ROLE, UNRESPONSIVE_ROLE, ROLE_STATE_UNKNOWN), STATUS_NOT_RUNNABLE, BUSY_ROLE);
        row(STARTING_ROLE, TASK_FAILED, FAILED_STARTING_ROLE);
        row(READY_ROLE, STATUS_BUSY, BUSY_ROLE);
        row(BUSY_ROLE, STATUS_READY, READY_ROLE);
        // the guest rebooted on its own: it starts its role again
        rows(EnumSet.of(STARTING_ROLE, READY_ROLE, BUSY_ROLE, UNRESPONSIVE_ROLE, FAILED_STARTING_ROLE), AGENT_HELLO,
                STARTING_ROLE);

        // start / stop / suspend / resume
        rows(EnumSet.of(STOPPED_VM, STOPPED_DEALLOCATED, ROLE_STATE_UNKNOWN), START, STARTING_VM);
        rows(EnumSet.of(STOPPED_VM, STOPPED_DEALLOCATED), RESUME, STARTING_VM);
        row(STARTING_VM, START_FAILED, CREATING_VM);
        rows(settledWithDomain, STOP, STOPPING_VM);
        rows(settledWithDomain, SUSPEND, STOPPING_VM);
        row(STOPPED_VM, SUSPEND, STOPPED_DEALLOCATED);
        row(STOPPING_VM, DOMAIN_STOPPED, STOPPED_VM);
        row(STOPPING_VM, DEALLOCATED, STOPPED_DEALLOCATED);

        // configuration change applied in place: the role keeps running and stays in rotation
        row(READY_ROLE, CONFIGURATION_CHANGED, READY_ROLE);
        row(BUSY_ROLE, CONFIGURATION_CHANGED, BUSY_ROLE);

        // reboot and recycle: same overlay
        rows(RUNNING, REBOOT, STOPPING_ROLE);
        rows(EnumSet.of(STARTING_ROLE, READY_ROLE, BUSY_ROLE), RECYCLE_REQUESTED, STOPPING_ROLE);
        row(STOPPING_ROLE, DOMAIN_STARTED, STARTING_VM);
        row(STOPPING_ROLE, START_FAILED, CREATING_VM);

        // reimage and rebuild: new overlay (and new local storage for rebuild)
        rows(reimageable, REIMAGE, CREATING_VM);
        rows(reimageable, REBUILD, CREATING_VM);

        // delete and scale in
        rows(deletable, DELETE, DELETING_VM);
        rows(deletable, SCALE_IN, DELETING_VM);
        removal(DELETING_VM, DELETED);

        // healing: crash → restart on the same overlay; a domain that cannot be restarted → new hardware
        rows(union(RUNNING, EnumSet.of(ROLE_STATE_UNKNOWN)), CRASHED, RESTARTING_ROLE);
        row(RESTARTING_ROLE, DOMAIN_STARTED, STARTING_VM);
        row(RESTARTING_ROLE, START_FAILED, CREATING_VM);
        // healing: lost heartbeat → unresponsive → recycled after the grace period
        rows(EnumSet.of(STARTING_VM, CREATING_ROLE, STARTING_ROLE, READY_ROLE, BUSY_ROLE, ROLE_STATE_UNKNOWN),
                HEARTBEAT_LOST, UNRESPONSIVE_ROLE);
        row(UNRESPONSIVE_ROLE, STATUS_READY, READY_ROLE);
        row(UNRESPONSIVE_ROLE, STATUS_BUSY, BUSY_ROLE);
        row(UNRESPONSIVE_ROLE, GRACE_EXPIRED, RESTARTING_ROLE);
        // healing: failing startup task → back-off → cycling
        row(FAILED_STARTING_ROLE, BACKOFF_EXPIRED, CYCLING_ROLE);
        row(CYCLING_ROLE, DOMAIN_STARTED, STARTING_VM);
        row(CYCLING_ROLE, START_FAILED, CREATING_VM);

        // fault injection: the request is recorded, the effect arrives as a runtime event
        for (Trigger fault : List.of(FAULT_KILL_PROCESS, FAULT_GUEST_CRASH, FAULT_PAUSE,
                FAULT_STOP_HEARTBEATS)) {
            for (InstanceState s : RUNNING) {
                row(s, fault, s);
            }
        }
        for (InstanceState s : union(RUNNING, EnumSet.of(STOPPED_VM, STOPPED_DEALLOCATED, FAILED_STARTING_VM))) {
            row(s, FAULT_FAIL_NEXT_BOOT, s);
        }
        rows(RUNNING, FAULT_HOST_FAILURE, CREATING_VM);

        // recovery: every instance is Unknown until the substrate has been asked
        rows(EnumSet.allOf(InstanceState.class), DAEMON_RESTARTED, ROLE_STATE_UNKNOWN);
        row(ROLE_STATE_UNKNOWN, AGENT_HELLO_FIRST_BOOT, CREATING_ROLE);
        row(ROLE_STATE_UNKNOWN, AGENT_HELLO, STARTING_ROLE);
        row(ROLE_STATE_UNKNOWN, STATUS_READY, READY_ROLE);
        row(ROLE_STATE_UNKNOWN, STATUS_BUSY, BUSY_ROLE);
        row(ROLE_STATE_UNKNOWN, TASK_FAILED, FAILED_STARTING_ROLE);
        row(ROLE_STATE_UNKNOWN, DOMAIN_STOPPED, STOPPED_VM);
        row(ROLE_STATE_UNKNOWN, DEALLOCATED, STOPPED_DEALLOCATED);
        row(ROLE_STATE_UNKNOWN, DOMAIN_LOST, CREATING_VM);
    }

    public static TransitionTable get() {
        return INSTANCE;
    }

    /** The row for (state, trigger), if any. */
    public Optional<Transition> find(InstanceState state, Trigger trigger) {
        return Optional.ofNullable(byState.getOrDefault(state, Map.of()).get(trigger));
    }

    /** The row, or an {@link IllegalTransitionException} naming the instance, its state and what is allowed. */
    public Transition require(String instance, InstanceState state, Trigger trigger) {
        return find(state, trigger).orElseThrow(
                () -> new IllegalTransitionException(instance, state, trigger, allowedRequests(state)));
    }

    /** The user requests (operations and faults) the table allows in a state. */
    public Set<Trigger> allowedRequests(InstanceState state) {
        Set<Trigger> allowed = EnumSet.noneOf(Trigger.class);
        byState.getOrDefault(state, Map.of()).keySet().stream().filter(Trigger::isRequest).forEach(allowed::add);
        return allowed;
    }

    /** All rows in declaration order. */
    public List<Transition> rows() {
        return List.copyOf(rows);
    }

    private void row(InstanceState from, Trigger trigger, InstanceState to) {
        add(new Transition(from, trigger, Optional.of(to)));
    }

    private void removal(InstanceState from, Trigger trigger) {
        add(new Transition(from, trigger, Optional.empty()));
    }

    private void rows(Set<InstanceState> from, Trigger trigger, InstanceState to) {
        for (InstanceState s : from) {
            row(s, trigger, to);
        }
    }

    private void add(Transition t) {
        Transition previous = byState.computeIfAbsent(t.from(), k -> new LinkedHashMap<>()).putIfAbsent(t.trigger(), t);
        if (previous != null) {
            throw new IllegalStateException("duplicate row " + t.from() + " × " + t.trigger());
        }
        rows.add(t);
    }

    private static Set<InstanceState> union(Set<InstanceState> a, Set<InstanceState> b) {
        Set<InstanceState> u = EnumSet.noneOf(InstanceState.class);
        u.addAll(a);
        u.addAll(b);
        return u;
    }
}
