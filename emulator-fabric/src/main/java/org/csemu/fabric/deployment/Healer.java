package org.csemu.fabric.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.Scheduler;
import org.csemu.fabric.spi.ShutdownMode;

/**
 * Turns runtime events into triggers and heals without being asked: a crash restarts the instance on the same
 * overlay (it left rotation in the CRASHED transition, before any runtime call); a silent agent makes the instance
 * UnresponsiveRole and, after the grace period, recycles it; a failing startup task recycles it after an exponential
 * back-off. Timers carry the transition epoch they were armed in, so a timer that outlived its state does nothing.
 */
final class Healer implements Consumer<RuntimeEvent> {
    private final FabricModel model;
    private final InstanceWorkflows workflows;
    private final Scheduler scheduler;
    private final HealingPolicy policy;
    private final Executor executor;
    private final Map<InstanceRef, Instant> lastContact = new ConcurrentHashMap<>();
    /** How long the current deadline allows since the last contact (the boot timeout until the first message). */
    private final Map<InstanceRef, Duration> allowed = new ConcurrentHashMap<>();
    private final Map<InstanceRef, Scheduler.Cancellable> deadlines = new ConcurrentHashMap<>();

    Healer(FabricModel model, InstanceWorkflows workflows, Scheduler scheduler, HealingPolicy policy,
           Executor executor) {
        this.model = model;
        this.workflows = workflows;
        this.scheduler = scheduler;
        this.policy = policy;
        this.executor = executor;
    }

    @Override
    public void accept(RuntimeEvent event) {
        InstanceRef ref = event.ref();
        if (event instanceof RuntimeEvent.Crashed c) {
            model.apply(ref, Trigger.CRASHED, c.detail(), null).ifPresent(
                    t -> executor.execute(() -> workflows.boot(ref, Trigger.CRASHED, null, null)));
            return;
        }
        if (event instanceof RuntimeEvent.SetupRestart) {
            armBoot(ref); // the guest restarts now: its next message is a boot's first
        } else {
            arm(ref);
        }
        if (event instanceof RuntimeEvent.AgentHello h) {
            model.apply(ref, h.firstBoot() ? Trigger.AGENT_HELLO_FIRST_BOOT : Trigger.AGENT_HELLO,
                    "boot " + h.bootId(), null);
        } else if (event instanceof RuntimeEvent.SetupRestart) {
            model.apply(ref, Trigger.SETUP_RESTART, "first-boot setup done, guest restarting", null);
        } else if (event instanceof RuntimeEvent.TaskFailed f) {
            model.apply(ref, Trigger.TASK_FAILED, "startup task " + f.taskIndex() + " exited " + f.exitCode()
                    + (f.outputTail() == null || f.outputTail().isBlank() ? "" : ": " + f.outputTail()), null)
                    .ifPresent(t -> scheduleBackoff(ref));
        } else if (event instanceof RuntimeEvent.Status s) {
            applyStatus(ref, s.status(), s.status() == RuntimeEvent.AgentStatus.NOT_RUNNABLE
                    ? "not runnable in a Linux guest: " + s.reason() : "agent status " + s.status());
        } else if (event instanceof RuntimeEvent.Heartbeat hb) {
            // a heartbeat proves the agent is alive (armed above); it changes the state only when its status differs
            InstanceState target = switch (hb.status()) {
                case READY -> InstanceState.READY_ROLE;
                case BUSY, NOT_RUNNABLE -> InstanceState.BUSY_ROLE;
                case STARTING -> null;
            };
            if (target != null && model.state(ref).orElse(target) != target) {
                applyStatus(ref, hb.status(), "heartbeat reports " + hb.status());
            }
        } else if (event instanceof RuntimeEvent.RecycleRequested) {
            model.apply(ref, Trigger.RECYCLE_REQUESTED, "RoleEnvironment.RequestRecycle", null).ifPresent(
                    t -> executor.execute(() -> workflows.boot(ref, Trigger.RECYCLE_REQUESTED,
                            ShutdownMode.GRACEFUL, null)));
        }
    }

    private void applyStatus(InstanceRef ref, RuntimeEvent.AgentStatus status, String cause) {
        switch (status) {
            case READY -> model.apply(ref, Trigger.STATUS_READY, cause, null);
            case BUSY -> model.apply(ref, Trigger.STATUS_BUSY, cause, null);
            case NOT_RUNNABLE -> model.apply(ref, Trigger.STATUS_NOT_RUNNABLE, cause, null);
            case STARTING -> { } // still starting: nothing to change
        }
    }

    /** The agent was heard from: the heartbeat deadline starts again. */
    void arm(InstanceRef ref) {
        arm(ref, policy.heartbeatTimeout());
    }

    /** A boot just started: the agent has {@code bootTimeout} for its first message. */
    void armBoot(InstanceRef ref) {
        arm(ref, policy.bootTimeout());
    }

    private void arm(InstanceRef ref, Duration timeout) {
        Instant now = scheduler.now();
        lastContact.put(ref, now);
        allowed.put(ref, timeout);
        Scheduler.Cancellable previous = deadlines.put(ref,
                scheduler.schedule(timeout, () -> checkHeartbeat(ref)));
        if (previous != null) {
            previous.cancel();
        }
    }

    void forget(InstanceRef ref) {
        lastContact.remove(ref);
        allowed.remove(ref);
        Scheduler.Cancellable c = deadlines.remove(ref);
        if (c != null) {
            c.cancel();
        }
    }

    private void checkHeartbeat(InstanceRef ref) {
        Instant last = lastContact.get(ref);
        Duration timeout = allowed.getOrDefault(ref, policy.heartbeatTimeout());
        if (last == null || Duration.between(last, scheduler.now()).compareTo(timeout) < 0) {
            return;
        }
        model.apply(ref, Trigger.HEARTBEAT_LOST, "no agent message since " + last, null)
                .ifPresent(t -> scheduleGrace(ref));
    }

    private void scheduleGrace(InstanceRef ref) {
        long epoch = model.observed(ref).map(ObservedInstance::epoch).orElse(-1L);
        scheduler.schedule(policy.unresponsiveGrace(), () -> model.applyIfEpoch(ref, epoch, Trigger.GRACE_EXPIRED,
                "unresponsive for " + policy.unresponsiveGrace()).ifPresent(
                        t -> executor.execute(() -> workflows.boot(ref, Trigger.GRACE_EXPIRED, ShutdownMode.FORCE,
                                null))));
    }

    private void scheduleBackoff(InstanceRef ref) {
        ObservedInstance o = model.observed(ref).orElseThrow();
        Duration delay = policy.backoff(o.startFailures());
        long epoch = o.epoch();
        scheduler.schedule(delay, () -> model.applyIfEpoch(ref, epoch, Trigger.BACKOFF_EXPIRED,
                "back-off " + delay + " after failed start #" + o.startFailures()).ifPresent(
                        t -> executor.execute(() -> workflows.boot(ref, Trigger.BACKOFF_EXPIRED, ShutdownMode.FORCE,
                                null))));
    }
}
