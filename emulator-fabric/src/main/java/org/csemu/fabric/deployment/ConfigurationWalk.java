package org.csemu.fabric.deployment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.csemu.fabric.lifecycle.IllegalTransitionException;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.ConfigurationChange;
import org.csemu.fabric.spi.ConfigurationChangeOutcome;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.ShutdownMode;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks a rollout (a configuration change, a package upgrade, the rollback of either, a topology change) the way the
 * classic fabric does: upgrade domain by upgrade domain, the instances of one domain in parallel, the next domain
 * only when they are all back (or their wait ran out, which is reported and does not stop the walk); in Manual mode
 * a domain only once Walk Upgrade Domain was called for it; in Simultaneous mode every instance at once. A rollback
 * stops it before its next domain. Each domain's start and end is a deployment-level event with the operation id.
 * Per instance, it first moves the instance to the rollout's service revision (every boot from then on reads it),
 * then, in this order of precedence:
 * <ul>
 *   <li>a new package recycles the instance (stopped, new role files and configuration, started: the in-place
 *       upgrade, which keeps the OS disk);</li>
 *   <li>a new OS image reimages the instance onto it;</li>
 *   <li>a certificate change recycles it (the cloud takes the instance offline, no Changing/Changed);</li>
 *   <li>changed settings are offered to the guest (Changing, config drive rewritten in place, Changed) and the
 *       instance is recycled instead when the role cancels or the guest cannot take the change.</li>
 * </ul>
 * An instance still booting is waited for first, so it never keeps a configuration read before the change.
 */
final class ConfigurationWalk {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationWalk.class);

    /** States in which nothing is in flight and no guest is reading its config drive. */
    private static final Set<InstanceState> SETTLED = EnumSet.of(InstanceState.READY_ROLE, InstanceState.BUSY_ROLE,
            InstanceState.STOPPED_VM, InstanceState.STOPPED_DEALLOCATED, InstanceState.FAILED_STARTING_ROLE,
            InstanceState.FAILED_STARTING_VM, InstanceState.PREPARING);
    private static final Set<InstanceState> SERVING = EnumSet.of(InstanceState.READY_ROLE, InstanceState.BUSY_ROLE);
    private static final Set<InstanceState> FAILED = EnumSet.of(InstanceState.FAILED_STARTING_ROLE,
            InstanceState.FAILED_STARTING_VM, InstanceState.STOPPED_VM, InstanceState.STOPPED_DEALLOCATED);
    private static final Set<InstanceState> STOPPED = EnumSet.of(InstanceState.STOPPED_VM,
            InstanceState.STOPPED_DEALLOCATED);

    private final FabricModel model;
    private final InstanceRuntime runtime;
    private final InstanceWorkflows workflows;
    private final OperationTracker operations;
    private final Executor executor;
    private final Duration instanceTimeout;
    private final ConfigurationChanges pending;

    ConfigurationWalk(FabricModel model, InstanceRuntime runtime, InstanceWorkflows workflows,
                      OperationTracker operations, Executor executor, Duration instanceTimeout,
                      ConfigurationChanges pending) {
        this.pending = pending;
        this.model = model;
        this.runtime = runtime;
        this.workflows = workflows;
        this.operations = operations;
        this.executor = executor;
        this.instanceTimeout = instanceTimeout;
    }

    /** The upgrade domains of a rollout's instances, in walk order (all in domain 0 when simultaneous). */
    static Map<Integer, List<InstanceRef>> domains(FabricModel model, List<InstanceRef> targets, boolean simultaneous) {
        Map<Integer, List<InstanceRef>> domains = new TreeMap<>();
        for (InstanceRef ref : targets) {
            int ud = simultaneous ? 0 : model.deployment(ref.deploymentId()).flatMap(d -> d.instance(ref.instanceId()))
                    .map(InstanceRecord::updateDomain).orElse(0);
            domains.computeIfAbsent(ud, k -> new ArrayList<>()).add(ref);
        }
        return domains;
    }

    /** Walk the rollout's domains over {@code targets} (its instances not confirmed yet); reports into its operation. */
    void run(ConfigurationChanges.Pending rollout, Map<String, RoleConfigurationDelta> byRole,
             List<InstanceRef> targets) throws InterruptedException {
        String operationId = rollout.operationId();
        if (rollout.after() != null) {
            while (pending.get(rollout.after()).isPresent()) {
                pending.awaitChange(Duration.ofSeconds(5)); // the rolled-back walk ends its current domain first
            }
        }
        for (Map.Entry<Integer, List<InstanceRef>> domain : domains(model, targets, rollout.simultaneous())
                .entrySet()) {
            int ud = domain.getKey();
            List<InstanceRef> refs = domain.getValue();
            if (!awaitTurn(operationId, ud)) {
                stop(operationId);
                return;
            }
            LOG.info("{} {}: upgrade domain {} ({} instances)", rollout.kind(), operationId, ud, refs.size());
            domainEvent(rollout, ud, "Before", "During", "started (" + refs.size() + " instances: "
                    + String.join(", ", refs.stream().map(InstanceRef::instanceId).toList()) + ")");
            List<CompletableFuture<Void>> parts = new ArrayList<>();
            AtomicInteger left = new AtomicInteger(refs.size());
            for (InstanceRef ref : refs) {
                parts.add(CompletableFuture.runAsync(() -> {
                    String error;
                    try {
                        error = apply(ref, byRole.get(ref.roleName()), rollout);
                    } catch (RuntimeException e) {
                        error = ref.instanceId() + ": " + e.getMessage();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        error = ref.instanceId() + ": interrupted";
                    }
                    pending.done(operationId, ref.instanceId());
                    if (left.decrementAndGet() == 0) {
                        // before the last unit reports: the operation is done only once its log is complete
                        domainEvent(rollout, ud, "During", "Done", "finished");
                    }
                    operations.unitDone(operationId, error);
                }, executor));
            }
            CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).join();
        }
        pending.finish(operationId);
    }

    /**
     * Until the rollout may walk {@code ud}: at once in Auto and Simultaneous mode, after Walk Upgrade Domain in
     * Manual mode. False when a rollback stopped it or its deployment went.
     */
    private boolean awaitTurn(String operationId, int ud) throws InterruptedException {
        while (true) {
            Optional<ConfigurationChanges.Pending> now = pending.get(operationId);
            if (now.isEmpty() || now.get().stoppedBy() != null
                    || model.deployment(now.get().deploymentId()).map(DeploymentRecord::deleting).orElse(true)) {
                return false;
            }
            if (now.get().mode() != UpgradeMode.MANUAL || now.get().walkedDomains().contains(ud)) {
                return true;
            }
            pending.awaitChange(Duration.ofSeconds(5));
        }
    }

    /** A rollback (or a delete) stopped the rollout: the instances not walked stay as they are. */
    private void stop(String operationId) {
        Optional<ConfigurationChanges.Pending> now = pending.get(operationId);
        String by = now.map(ConfigurationChanges.Pending::stoppedBy).orElse(null);
        List<String> left = now.map(ConfigurationChanges.Pending::remaining).orElse(List.of());
        String reason = (by != null ? "rolled back by operation " + by : "stopped: the deployment is being deleted")
                + (left.isEmpty() ? "" : "; not walked: " + String.join(", ", left));
        LOG.info("{}: {}", operationId, reason);
        now.ifPresent(p -> model.appendEvents(List.of(new LifecycleEvent(model.now(), p.deploymentId(), null,
                p.kind(), p.kind(), null, reason, operationId))));
        operations.abandon(operationId, reason);
        pending.finish(operationId);
    }

    private void domainEvent(ConfigurationChanges.Pending rollout, int ud, String from, String to, String what) {
        String domain = rollout.simultaneous() ? "all instances at once" : "upgrade domain " + ud;
        model.appendEvents(List.of(new LifecycleEvent(model.now(), rollout.deploymentId(), null,
                "UD" + ud + ":" + from, "UD" + ud + ":" + to, null,
                rollout.kind() + " (" + rollout.mode().cloudName() + "): " + domain + " " + what, rollout.operationId())));
    }

    /** One instance: null when done, else a one-line error. */
    private String apply(InstanceRef ref, RoleConfigurationDelta delta, ConfigurationChanges.Pending rollout)
            throws InterruptedException {
        String operationId = rollout.operationId();
        if (rollout.changesService()) {
            synchronized (model) { // a rollback computes its instances under the same lock
                if (pending.get(operationId).map(p -> p.stoppedBy() != null).orElse(true)) {
                    return ref.instanceId() + ": not walked: the rollout was rolled back before it reached it";
                }
                model.updateInstance(ref, r -> r.withServiceRevision(rollout.toRevision()));
            }
        }
        Optional<InstanceState> settled = awaitSettled(ref);
        if (settled.isEmpty()) {
            return model.state(ref).isEmpty() ? null // removed meanwhile (scale in, delete): nothing to change
                    : ref.instanceId() + ": still " + model.state(ref).map(InstanceState::cloudName).orElse("?")
                    + " after " + instanceTimeout.toSeconds() + " s; its configuration was not changed";
        }
        InstanceState state = settled.get();
        String what = rollout.kind() + ": " + delta.describe();
        if (delta.packageChanged()) {
            if (STOPPED.contains(state) || state == InstanceState.PREPARING
                    || state == InstanceState.FAILED_STARTING_ROLE) {
                return null; // its next boot starts from the new revision's role files and configuration
            }
            if (state == InstanceState.FAILED_STARTING_VM) {
                return ref.instanceId() + ": FailedStartingVM; reimage it to start it on the new package";
            }
            return recycle(ref, what, operationId);
        }
        if (delta.osImageChanged()) {
            if (STOPPED.contains(state)) {
                return ref.instanceId() + ": stopped; reimage it to move it to the new OS image";
            }
            try {
                model.apply(ref, Trigger.REIMAGE, what, operationId);
            } catch (IllegalTransitionException e) {
                return ref.instanceId() + ": " + e.getMessage();
            }
            String error = workflows.boot(ref, Trigger.REIMAGE, ShutdownMode.GRACEFUL, operationId);
            return error != null ? error : awaitBack(ref);
        }
        if (state == InstanceState.PREPARING || state == InstanceState.FAILED_STARTING_ROLE) {
            return null; // its next boot (the first one, or the back-off recycle) writes the drive from the new configuration
        }
        List<ConfigurationChange> changes = delta.guestChanges();
        if (!SERVING.contains(state) || !delta.certificatesChanged()) {
            ConfigurationChangeOutcome outcome;
            try {
                outcome = runtime.changeConfiguration(workflows.spec(ref), changes);
            } catch (RuntimeOperationException e) {
                return ref.instanceId() + ": " + e.getMessage();
            }
            switch (outcome) {
                case APPLIED -> {
                    model.apply(ref, Trigger.CONFIGURATION_CHANGED, delta.describe(), operationId);
                    return null;
                }
                case NOT_RUNNING -> {
                    return null;
                }
                case RECYCLE_REQUIRED -> what += " (the role cancelled Changing, or the guest could not take it)";
            }
        }
        return recycle(ref, what, operationId);
    }

    private String recycle(InstanceRef ref, String cause, String operationId) throws InterruptedException {
        if (model.apply(ref, Trigger.RECYCLE_REQUESTED, cause, operationId).isEmpty()) {
            return ref.instanceId() + ": left " + "ReadyRole/BusyRole during the change (now "
                    + model.state(ref).map(InstanceState::cloudName).orElse("removed")
                    + "); reboot it to apply the new configuration";
        }
        workflows.drain(ref); // out of rotation now: the requests in flight finish before the guest stops
        String error = workflows.boot(ref, Trigger.RECYCLE_REQUESTED, ShutdownMode.GRACEFUL, operationId);
        return error != null ? error : awaitBack(ref);
    }

    private Optional<InstanceState> awaitSettled(InstanceRef ref) throws InterruptedException {
        try {
            return Optional.of(Poller.standard().until(ref.instanceId() + " to settle", Deadline.after(instanceTimeout),
                    () -> model.state(ref).filter(SETTLED::contains)));
        } catch (TimeoutException e) {
            return Optional.empty();
        }
    }

    /** After a reimage or recycle: wait until the instance serves again (the walk's health check). */
    private String awaitBack(InstanceRef ref) throws InterruptedException {
        try {
            InstanceState s = Poller.standard().until(ref.instanceId() + " to be Ready", Deadline.after(instanceTimeout),
                    () -> {
                        Optional<InstanceState> now = model.state(ref);
                        if (now.isEmpty()) {
                            return Optional.of(InstanceState.READY_ROLE);
                        }
                        return now.filter(x -> SERVING.contains(x) || FAILED.contains(x));
                    });
            return SERVING.contains(s) ? null : ref.instanceId() + ": " + s.cloudName() + " after the configuration change";
        } catch (TimeoutException e) {
            return ref.instanceId() + ": not Ready " + instanceTimeout.toSeconds() + " s after the configuration change";
        }
    }
}
