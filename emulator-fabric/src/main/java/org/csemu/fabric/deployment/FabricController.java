package org.csemu.fabric.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.TransitionTable;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.ShutdownMode;
import org.csemu.fabric.spi.VipSwapper;

/**
 * The fabric controller's entry point for the API: deployments, instance operations, scaling, fault injection. Each
 * request is checked against the transition table for every instance it touches and refused as a whole if one
 * instance does not allow it (nothing changes then); otherwise the first transition of every instance is applied at
 * once (the instance leaves rotation there) and the runtime work runs on the executor, at most
 * {@link HealingPolicy#concurrency()} runtime calls at a time. Every request returns an operation to poll.
 *
 * <p>Over 400 lines on purpose: it is the controller's whole public surface, one short method per request (check,
 * first transition, hand-off); the steps themselves live in {@link InstanceWorkflows}, {@link ConfigurationWalk},
 * {@link Healer}, {@link SwapSteps} and {@link OperationTracker}, and splitting the requests apart would scatter the
 * one place that shows what the controller accepts.
 */
public final class FabricController {
    private final FabricModel model;
    private final FabricPorts ports;
    private final HealingPolicy policy;
    private final Executor executor;
    private final OperationTracker operations;
    private final InstanceWorkflows workflows;
    private final Healer healer;
    private final ConfigurationChanges configurationChanges;
    private final SwapSteps swaps;
    /** Told the deployment id when a rollout of it ends ({@link #onRolloutEnd}). */
    private volatile Consumer<String> rolloutEndListener = id -> { };
    /** Which deployment each operation of this daemon works on: a swap waits for them ({@link #swap}). */
    private final Map<String, String> operationDeployments = new ConcurrentHashMap<>();

    private FabricController(Path dataDir, FabricModel model, FabricPorts ports, HealingPolicy policy,
                             Executor executor) {
        this.model = model;
        this.ports = ports;
        this.policy = policy;
        this.executor = executor;
        this.operations = new OperationTracker(ports.scheduler()::now, dataDir.resolve("operations.json"));
        this.configurationChanges = new ConfigurationChanges(dataDir.resolve("configuration-changes.json"));
        this.swaps = new SwapSteps(model, operations);
        BoundedRuntime runtime = new BoundedRuntime(ports.runtime(), policy.concurrency());
        Healer[] healerRef = new Healer[1];
        this.workflows = new InstanceWorkflows(model, runtime, ports.planner(), ports.rotation(), policy,
                ref -> healerRef[0].armBoot(ref), ref -> healerRef[0].forget(ref));
        this.healer = new Healer(model, workflows, ports.scheduler(), policy, executor);
        healerRef[0] = healer;
    }

    /**
     * Load (or start) the state of a data directory and listen to runtime events. Call
     * {@link org.csemu.fabric.recovery.Recovery} next when the daemon starts on an existing data directory.
     */
    public static FabricController open(Path dataDir, FabricPorts ports, HealingPolicy policy, Executor executor) {
        return open(dataDir, FabricModel.open(dataDir, ports.scheduler(), ports.rotation()), ports, policy, executor);
    }

    /**
     * Open on a model the caller opened first (on the same data directory, scheduler and rotation as {@code ports}):
     * the fabric id is then known to the runtime before the controller exists.
     */
    public static FabricController open(Path dataDir, FabricModel model, FabricPorts ports, HealingPolicy policy,
                                        Executor executor) {
        FabricController controller = new FabricController(dataDir, model, ports, policy, executor);
        ports.events().subscribe(controller.healer);
        return controller;
    }

    // ---- deployments

    /** A new deployment as planned and persisted, and the operation that boots it. */
    public record Creation(DeploymentRecord deployment, OperationRecord operation) {
    }

    /** Create a deployment in a slot and start all its instances. */
    public Creation createDeployment(String name, Slot slot, ServiceDefinition definition,
                                     ServiceConfiguration configuration) {
        return createDeployment(name, slot, definition, configuration, true);
    }

    /**
     * Create a deployment; with {@code start} false it is created Suspended (the classic StartDeployment=false): its
     * instances are settled StoppedDeallocated at once, as a suspend leaves them, and {@link #resume} starts them.
     */
    public Creation createDeployment(String name, Slot slot, ServiceDefinition definition,
                                     ServiceConfiguration configuration, boolean start) {
        DeploymentRecord record;
        synchronized (model) {
            for (DeploymentRecord d : model.desired().deployments()) {
                if (d.name().equals(name)) {
                    throw new IllegalArgumentException("a deployment named '" + name + "' exists already (" + d.id()
                            + "); choose another name or delete it first");
                }
                if (d.serviceName().equals(definition.name()) && d.slot() == slot) {
                    throw new IllegalArgumentException("the " + slot.name().toLowerCase() + " slot of service '"
                            + definition.name() + "' is taken by deployment '" + d.name() + "'; use the other slot "
                            + "or delete it first");
                }
            }
            record = DeploymentPlanner.plan(UUID.randomUUID().toString().replace("-", ""), name, slot, definition,
                    configuration, model.now()).withSuspended(!start);
            model.addDeployment(record);
        }
        if (!start) {
            return new Creation(record, run("CreateDeployment", name, refs(record, record.instances()),
                    Trigger.CREATE_SUSPENDED, (ref, op) -> null, null));
        }
        return new Creation(record, run("CreateDeployment", name, refs(record, record.instances()), Trigger.CREATE,
                (ref, op) -> workflows.boot(ref, Trigger.CREATE, null, op), null));
    }

    /** Delete every instance (out of rotation, drained), then the deployment. */
    public OperationRecord deleteDeployment(String deploymentId) {
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            List<InstanceRef> refs = refs(d, d.instances());
            model.checkAll(refs, Trigger.DELETE);
            model.updateDeployment(deploymentId, DeploymentRecord::markedDeleting);
            return run("DeleteDeployment", d.name(), refs, Trigger.DELETE, workflows::delete,
                    () -> removeIfEmpty(deploymentId));
        }
    }

    /** Forget a deployment being deleted once its last instance is gone. */
    public void removeIfEmpty(String deploymentId) {
        synchronized (model) {
            if (model.deployment(deploymentId).map(x -> x.deleting() && x.instances().isEmpty()).orElse(false)) {
                model.removeDeployment(deploymentId);
            }
        }
    }

    /** Update Deployment Status = Suspended: every running instance is stopped and leaves rotation. */
    public OperationRecord suspend(String deploymentId) {
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            List<InstanceRef> targets = refsExcept(d, InstanceState.STOPPED_DEALLOCATED);
            model.checkAll(targets, Trigger.SUSPEND);
            model.updateDeployment(deploymentId, r -> r.withSuspended(true));
            return run("SuspendDeployment", d.name(), targets, Trigger.SUSPEND, (ref, op) -> {
                if (model.state(ref).orElse(null) == InstanceState.STOPPED_DEALLOCATED) {
                    return null;
                }
                return workflows.shutdown(ref, Trigger.SUSPEND, op);
            }, null);
        }
    }

    /** Update Deployment Status = Running: start every stopped instance. */
    public OperationRecord resume(String deploymentId) {
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            List<InstanceRef> targets = refs(d, d.instances()).stream().filter(ref -> {
                InstanceState s = model.state(ref).orElseThrow();
                return s == InstanceState.STOPPED_DEALLOCATED || s == InstanceState.STOPPED_VM;
            }).toList();
            model.updateDeployment(deploymentId, r -> r.withSuspended(false));
            return run("ResumeDeployment", d.name(), targets, Trigger.RESUME,
                    (ref, op) -> workflows.boot(ref, Trigger.RESUME, null, op), null);
        }
    }

    // ---- instances

    /** An operation on named instances of a deployment. */
    public OperationRecord perform(String deploymentId, InstanceOperation operation, List<String> instanceIds) {
        DeploymentRecord d = model.requireDeployment(deploymentId);
        List<InstanceRecord> chosen = new ArrayList<>();
        for (String id : instanceIds) {
            chosen.add(d.instance(id).orElseThrow(() -> new FabricModel.NoSuchElementException("no instance '" + id
                    + "' in deployment '" + d.name() + "'; it has " + d.instances().stream()
                    .map(InstanceRecord::id).toList())));
        }
        return perform(d, operation, chosen, String.join(",", instanceIds));
    }

    /** An operation on every instance of a role. */
    public OperationRecord performOnRole(String deploymentId, String roleName, InstanceOperation operation) {
        DeploymentRecord d = model.requireDeployment(deploymentId);
        d.role(roleName).orElseThrow(() -> new FabricModel.NoSuchElementException("no role '" + roleName
                + "' in deployment '" + d.name() + "'"));
        return perform(d, operation, d.instances().stream().filter(i -> i.role().equals(roleName)).toList(),
                roleName);
    }

    private OperationRecord perform(DeploymentRecord d, InstanceOperation operation, List<InstanceRecord> chosen,
                                    String target) {
        Trigger trigger = operation.trigger();
        BiFunction<InstanceRef, String, String> work = switch (operation) {
            case REBOOT -> (ref, op) -> workflows.boot(ref, trigger, ShutdownMode.GRACEFUL, op);
            case REIMAGE, REBUILD -> (ref, op) -> workflows.boot(ref, trigger, ShutdownMode.GRACEFUL, op);
            case START -> (ref, op) -> workflows.boot(ref, trigger, null, op);
            case STOP -> (ref, op) -> workflows.shutdown(ref, trigger, op);
            case DELETE -> workflows::delete;
        };
        List<InstanceRef> refs = refs(d, chosen);
        if (operation == InstanceOperation.DELETE) {
            synchronized (model) {
                model.checkAll(refs, trigger);
                model.updateDeployment(d.id(), r -> {
                    DeploymentRecord out = r;
                    for (InstanceRecord i : chosen) {
                        RoleRecord role = out.role(i.role()).orElseThrow();
                        out = out.withRole(role.withInstanceCount(role.instanceCount() - 1));
                    }
                    return out;
                });
                return run("DeleteRoleInstances", target, refs, trigger, work, null);
            }
        }
        return run(operation.name().charAt(0) + operation.name().substring(1).toLowerCase() + "RoleInstance",
                target, refs, trigger, work, null);
    }

    /**
     * Set a role's instance count. Scale out creates the next ids on new overlays; scale in removes the highest ids,
     * each out of rotation and drained before it is deleted.
     */
    public OperationRecord scale(String deploymentId, String roleName, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("instance count of role '" + roleName + "' must not be negative");
        }
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            RoleRecord role = d.role(roleName).orElseThrow(() -> new FabricModel.NoSuchElementException(
                    "no role '" + roleName + "' in deployment '" + d.name() + "'"));
            List<InstanceRecord> current = d.instances().stream().filter(i -> i.role().equals(roleName))
                    .sorted(Comparator.comparingInt(InstanceRecord::index)).toList();
            String target = roleName + " " + current.size() + "->" + count;
            if (count < current.size()) {
                List<InstanceRecord> victims = new ArrayList<>(current.subList(count, current.size()));
                victims.sort(Comparator.comparingInt(InstanceRecord::index).reversed());
                List<InstanceRef> refs = refs(d, victims);
                model.checkAll(refs, Trigger.SCALE_IN);
                model.updateDeployment(deploymentId, r -> r.withRole(role.withInstanceCount(count)));
                return run("ScaleIn", target, refs, Trigger.SCALE_IN, workflows::delete, null);
            }
            List<InstanceRecord> added = DeploymentPlanner.addInstances(d, roleName, count - current.size());
            model.updateDeployment(deploymentId, r -> {
                List<InstanceRecord> all = new ArrayList<>(r.instances());
                all.addAll(added);
                return r.withRole(role.withInstanceCount(count)).withInstances(all);
            });
            if (d.suspended()) {
                // a suspended deployment grows by suspended instances; resume starts them with the others
                return run("ScaleOut", target, refs(d, added), Trigger.CREATE_SUSPENDED, (ref, op) -> null, null);
            }
            return run("ScaleOut", target, refs(d, added), Trigger.CREATE,
                    (ref, op) -> workflows.boot(ref, Trigger.CREATE, null, op), null);
        }
    }

    // ---- rollouts: configuration change, upgrade, walk, rollback, topology change

    /** A configuration change in Auto mode that does not move the service revision (tests and older callers). */
    public OperationRecord changeConfiguration(String deploymentId, List<RoleConfigurationDelta> deltas) {
        int revision = model.requireDeployment(deploymentId).serviceRevision();
        return rollout("ChangeConfiguration", deploymentId, deltas, UpgradeMode.AUTO, revision);
    }

    /**
     * Start a rollout of the deployment's service revision {@code toRevision} (already stored: its files are on disk)
     * over the instances of the roles {@code deltas} name, walked by {@link ConfigurationWalk} in {@code mode}: a
     * configuration change ({@code ChangeConfiguration}) or a package upgrade ({@code UpgradeDeployment}, deltas
     * marked {@link RoleConfigurationDelta#packageChanged}). The deployment's revision moves at once, so new
     * instances start from it; each existing instance moves when its turn comes. Refused as a whole, changing
     * nothing, when a role is unknown, the deployment is being deleted, another rollout runs, or an OS image change
     * meets a stopped instance (which cannot be reimaged without being started).
     */
    public OperationRecord rollout(String kind, String deploymentId, List<RoleConfigurationDelta> deltas,
                                   UpgradeMode mode, int toRevision) {
        Map<String, RoleConfigurationDelta> byRole = new LinkedHashMap<>();
        deltas.stream().filter(x -> !x.isEmpty()).forEach(x -> byRole.put(x.role(), x));
        String operationId;
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            if (d.deleting()) {
                throw new IllegalStateException("deployment '" + d.name() + "' is being deleted");
            }
            requireNoRollout(d);
            for (RoleConfigurationDelta delta : byRole.values()) {
                d.role(delta.role()).orElseThrow(() -> new FabricModel.NoSuchElementException(
                        "no role '" + delta.role() + "' in deployment '" + d.name() + "'"));
                if (!delta.osImageChanged()) {
                    continue;
                }
                for (InstanceRecord i : d.instances()) {
                    InstanceState s = model.state(new InstanceRef(d.id(), i.role(), i.id())).orElse(null);
                    if (i.role().equals(delta.role())
                            && (s == InstanceState.STOPPED_VM || s == InstanceState.STOPPED_DEALLOCATED)) {
                        throw new IllegalStateException("instance " + i.id() + " is " + s.cloudName() + ": a new OS"
                                + " image reimages every instance of role " + delta.role() + "; start it (or resume"
                                + " the deployment) first");
                    }
                }
            }
            byRole.values().stream().filter(RoleConfigurationDelta::osImageChanged).forEach(delta ->
                    model.updateDeployment(deploymentId, r -> r.withRole(r.role(delta.role()).orElseThrow()
                            .withOsImage(delta.osImage()))));
            int fromRevision = d.serviceRevision();
            // the instances of roles the rollout does not change move to the new revision at once (nothing in their
            // guests differs), so the old revision is needed only by the instances the walk has not reached
            model.updateDeployment(deploymentId, r -> r.withServiceRevision(toRevision).withInstances(r.instances()
                    .stream().map(i -> byRole.containsKey(i.role()) ? i : i.withServiceRevision(toRevision)).toList()));
            List<InstanceRef> targets = refs(d, d.instances().stream().filter(i -> byRole.containsKey(i.role()))
                    .toList());
            operationId = operations.start(kind, d.name() + " " + byRole.values().stream()
                    .map(x -> x.role() + " (" + x.describe() + ")").toList() + " " + mode, targets.size());
            operationDeployments.put(operationId, deploymentId);
            configurationChanges.start(new ConfigurationChanges.Pending(deploymentId, operationId, kind,
                    List.copyOf(byRole.values()), targets.stream().map(InstanceRef::instanceId).toList(), mode,
                    fromRevision, toRevision, List.of(), null, null));
        }
        walk(configurationChanges.get(operationId).orElseThrow());
        return operations.get(operationId).orElseThrow();
    }

    /**
     * A new service revision that changes nothing inside the instances (only endpoint ACLs, which the VIP applies):
     * the deployment and every instance move to it at once, with no operation.
     */
    public void adoptRevision(String deploymentId, int revision) {
        synchronized (model) {
            model.updateDeployment(deploymentId, r -> r.withServiceRevision(revision).withInstances(r.instances()
                    .stream().map(i -> i.withServiceRevision(revision)).toList()));
        }
        rolloutEnded(deploymentId);
    }

    /**
     * Walk Upgrade Domain: a Manual rollout may walk {@code domain} now. Only the next domain not walked may be named,
     * as in the cloud; a domain walked already is refused.
     */
    public OperationRecord walkUpgradeDomain(String deploymentId, int domain) {
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            ConfigurationChanges.Pending p = runningRollout(deploymentId).orElseThrow(() -> new IllegalStateException(
                    "deployment '" + d.name() + "' has no upgrade or configuration change in progress to walk"));
            if (p.mode() != UpgradeMode.MANUAL) {
                throw new IllegalStateException("the " + p.kind() + " of '" + d.name() + "' (operation "
                        + p.operationId() + ") runs in " + p.mode().cloudName() + " mode: it walks its upgrade "
                        + "domains itself; Walk Upgrade Domain is for Manual mode");
            }
            UpgradeStatus status = upgradeStatus(p);
            int next = status.domains().stream().filter(x -> !p.walkedDomains().contains(x.domain()))
                    .mapToInt(UpgradeStatus.Domain::domain).min().orElse(-1);
            if (domain != next) {
                throw new IllegalArgumentException("upgrade domain " + domain + " cannot be walked now: "
                        + (next < 0 ? "every domain of operation " + p.operationId() + " was walked already"
                        : p.walkedDomains().contains(domain) ? "it was walked already; the next one is " + next
                        : "the next domain to walk is " + next) + " (domains: " + status.domains().stream()
                        .map(x -> x.domain() + " " + x.state()).toList() + ")");
            }
            configurationChanges.walked(p.operationId(), domain);
            model.appendEvents(List.of(new LifecycleEvent(model.now(), deploymentId, null, "UD" + domain + ":Before",
                    "UD" + domain + ":Before", null, "walk upgrade domain " + domain + " requested",
                    p.operationId())));
            return operations.get(p.operationId()).orElseThrow();
        }
    }

    /**
     * Rollback Update Or Upgrade: the running rollout stops before its next domain, and a rollback returns the
     * instances it moved already (walked, or in the domain being walked) to the previous revision, domain by domain
     * ({@code reverse} says what that changes per role); the instances it had not reached are untouched. Allowed only
     * while a configuration change or upgrade runs (not after it completed, not for a rollback), as in the cloud.
     */
    public OperationRecord rollback(String deploymentId, List<RoleConfigurationDelta> reverse, UpgradeMode mode) {
        String operationId;
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            ConfigurationChanges.Pending p = runningRollout(deploymentId).orElseThrow(() -> new IllegalStateException(
                    "nothing to roll back: deployment '" + d.name() + "' has no upgrade or configuration change in "
                            + "progress (a rollback is possible only while one runs, not once it completed)"));
            if (!rollbackAllowed(p)) {
                throw new IllegalStateException("the " + p.kind() + " of '" + d.name() + "' (operation "
                        + p.operationId() + ") cannot be rolled back" + (p.stoppedBy() != null ? ": it is being rolled "
                        + "back by operation " + p.stoppedBy() : ": it is a rollback"));
            }
            if (mode == UpgradeMode.SIMULTANEOUS) {
                throw new IllegalArgumentException("a rollback runs in auto or manual mode");
            }
            Map<String, RoleConfigurationDelta> byRole = new LinkedHashMap<>();
            reverse.stream().filter(x -> !x.isEmpty()).forEach(x -> byRole.put(x.role(), x));
            List<InstanceRef> targets = refs(d, d.instances().stream()
                    .filter(i -> byRole.containsKey(i.role()) && i.serviceRevision() == p.toRevision()).toList());
            operationId = operations.start("RollbackUpdateOrUpgrade", d.name() + " " + p.kind() + " "
                    + p.operationId() + " " + mode, targets.size());
            operationDeployments.put(operationId, deploymentId);
            configurationChanges.stop(p.operationId(), operationId);
            java.util.Set<String> back = targets.stream().map(InstanceRef::instanceId).collect(Collectors.toSet());
            model.updateDeployment(deploymentId, r -> r.withServiceRevision(p.fromRevision()).withInstances(r.instances()
                    .stream().map(i -> back.contains(i.id()) ? i : i.withServiceRevision(p.fromRevision())).toList()));
            byRole.values().stream().filter(RoleConfigurationDelta::osImageChanged).forEach(delta ->
                    model.updateDeployment(deploymentId, r -> r.withRole(r.role(delta.role()).orElseThrow()
                            .withOsImage(delta.osImage()))));
            configurationChanges.start(new ConfigurationChanges.Pending(deploymentId, operationId,
                    "RollbackUpdateOrUpgrade", List.copyOf(byRole.values()),
                    targets.stream().map(InstanceRef::instanceId).toList(), mode, p.toRevision(), p.fromRevision(),
                    List.of(), null, p.operationId()));
        }
        walk(configurationChanges.get(operationId).orElseThrow());
        return operations.get(operationId).orElseThrow();
    }

    /**
     * Tell the instances of a deployment that {@code changedRole}'s instances came or went (RoleEnvironment's
     * topology change, after a scale of a role with internal endpoints): each gets Changing/Changed with a
     * {@code topology} change once its config drive lists the new peers, or is recycled if its role cancels.
     * {@code blast} notifies every instance at once, otherwise upgrade domain by upgrade domain.
     *
     * @param skip instances not to notify (the ones the scale just created: they boot with the new topology)
     */
    public OperationRecord notifyTopology(String deploymentId, String changedRole, boolean blast,
                                          Set<String> skip) {
        String operationId;
        List<InstanceRef> targets;
        Map<String, RoleConfigurationDelta> byRole = new LinkedHashMap<>();
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            d.roles().forEach(r -> byRole.put(r.name(), RoleConfigurationDelta.topologyOf(r.name(), changedRole)));
            targets = refs(d, d.instances().stream().filter(i -> !skip.contains(i.id())).toList());
            operationId = operations.start("TopologyChange", d.name() + " " + changedRole, targets.size());
            operationDeployments.put(operationId, deploymentId);
            configurationChanges.start(new ConfigurationChanges.Pending(deploymentId, operationId, "TopologyChange",
                    List.copyOf(byRole.values()), targets.stream().map(InstanceRef::instanceId).toList(),
                    blast ? UpgradeMode.SIMULTANEOUS : UpgradeMode.AUTO, d.serviceRevision(), d.serviceRevision(),
                    List.of(), null, null));
        }
        walk(configurationChanges.get(operationId).orElseThrow());
        return operations.get(operationId).orElseThrow();
    }

    /**
     * After a daemon restart (recovery calls this last): walk on every rollout that was cut, over the instances it
     * had not confirmed, reporting into its operation (a Manual one waits for its next walk again, a stopped one
     * ends, a rollback goes on).
     */
    public void resumeConfigurationChanges() {
        for (ConfigurationChanges.Pending p : configurationChanges.all()) {
            boolean live = model.deployment(p.deploymentId()).map(d -> !d.deleting()).orElse(false)
                    && operations.get(p.operationId()).map(o -> !o.done()).orElse(false);
            if (!live) {
                configurationChanges.finish(p.operationId());
                rolloutEnded(p.deploymentId());
                continue;
            }
            model.appendEvents(List.of(new LifecycleEvent(model.now(), p.deploymentId(), null, p.kind(), p.kind(),
                    null, p.kind() + " resumed after a daemon restart (" + p.remaining().size()
                    + " instances to go)", p.operationId())));
            walk(p);
        }
    }

    /**
     * The service rollout of a deployment still being walked, if any (topology changes do not count; a rollout a
     * rollback stopped does not either, the rollback does): the cloud runs one at a time. Derived from the rollouts
     * on disk, so it holds across a daemon restart too.
     */
    public Optional<String> runningConfigurationChange(String deploymentId) {
        return runningRollout(deploymentId).map(ConfigurationChanges.Pending::operationId);
    }

    /** The rollout in progress of a deployment, for {@code UpgradeStatus}, if any. */
    public Optional<UpgradeStatus> upgradeStatus(String deploymentId) {
        synchronized (model) {
            return runningRollout(deploymentId).map(this::upgradeStatus);
        }
    }

    /** The operations of configuration changes still being walked (recovery must not abandon them). */
    public Set<String> configurationChangeOperations() {
        return configurationChanges.all().stream().map(ConfigurationChanges.Pending::operationId)
                .collect(Collectors.toSet());
    }

    /**
     * The service revisions a deployment still needs: its current one, each instance's, and both ends of every
     * rollout on disk (a rollback may return to the older one). The others may be deleted.
     */
    public Set<Integer> revisionsInUse(String deploymentId) {
        Set<Integer> used = new java.util.TreeSet<>();
        model.deployment(deploymentId).ifPresent(d -> {
            used.add(d.serviceRevision());
            d.instances().forEach(i -> used.add(i.serviceRevision()));
        });
        configurationChanges.all().stream().filter(p -> p.deploymentId().equals(deploymentId)).forEach(p -> {
            used.add(p.fromRevision());
            used.add(p.toRevision());
        });
        return used;
    }

    /** Called with a deployment id whenever one of its rollouts ended (its older revision may go then). */
    public void onRolloutEnd(Consumer<String> listener) {
        this.rolloutEndListener = listener;
    }

    private void rolloutEnded(String deploymentId) {
        try {
            rolloutEndListener.accept(deploymentId);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(FabricController.class).warn("{}: after a rollout: {}", deploymentId,
                    e.toString());
        }
    }

    /**
     * Refuses a second rollout while one runs (the cloud runs one at a time), saying how to end the running one.
     *
     * @throws IllegalStateException a rollout of the deployment is in progress
     */
    void requireNoRollout(DeploymentRecord d) {
        runningRollout(d.id()).ifPresent(p -> {
            throw new IllegalStateException(rolloutBusy(d, p));
        });
    }

    /** The service rollout in progress of a deployment (see {@link #runningConfigurationChange}), if any. */
    Optional<ConfigurationChanges.Pending> runningRollout(String deploymentId) {
        return configurationChanges.all().stream()
                .filter(p -> p.deploymentId().equals(deploymentId) && p.changesService() && p.stoppedBy() == null)
                .filter(p -> operations.get(p.operationId()).map(o -> !o.done()).orElse(false))
                .findFirst();
    }

    private static boolean rollbackAllowed(ConfigurationChanges.Pending p) {
        return p.stoppedBy() == null && !p.kind().equals("RollbackUpdateOrUpgrade");
    }

    private static String rolloutBusy(DeploymentRecord d, ConfigurationChanges.Pending p) {
        return "a " + p.kind() + " of '" + d.name() + "' is in progress (operation " + p.operationId() + ", "
                + p.mode().cloudName() + " mode); wait for it to finish"
                + (p.mode() == UpgradeMode.MANUAL ? ", walk its next upgrade domain (csemu walk)" : "")
                + (rollbackAllowed(p) ? " or roll it back (csemu rollback)" : "");
    }

    private UpgradeStatus upgradeStatus(ConfigurationChanges.Pending p) {
        List<InstanceRef> all = new ArrayList<>();
        Set<String> remaining = new LinkedHashSet<>(p.remaining());
        model.deployment(p.deploymentId()).ifPresent(d -> d.instances().stream()
                .filter(i -> p.deltas().stream().anyMatch(x -> x.role().equals(i.role())))
                .forEach(i -> all.add(new InstanceRef(d.id(), i.role(), i.id()))));
        List<UpgradeStatus.Domain> domains = new ArrayList<>();
        int current = -1;
        for (Map.Entry<Integer, List<InstanceRef>> e : ConfigurationWalk.domains(model, all, p.simultaneous())
                .entrySet()) {
            List<String> ids = e.getValue().stream().map(InstanceRef::instanceId).toList();
            boolean done = ids.stream().noneMatch(remaining::contains);
            String state = done ? "done" : current < 0 ? "current" : "pending";
            if (!done && current < 0) {
                current = e.getKey();
            }
            domains.add(new UpgradeStatus.Domain(e.getKey(), state, ids));
        }
        int currentDomain = current < 0 ? 0 : current;
        boolean waiting = (p.after() != null && configurationChanges.get(p.after()).isPresent())
                || (p.mode() == UpgradeMode.MANUAL && !p.walkedDomains().contains(currentDomain));
        return new UpgradeStatus(p.operationId(), p.kind(), p.mode(), currentDomain, waiting ? "Before" : "During",
                domains, rollbackAllowed(p));
    }

    private void walk(ConfigurationChanges.Pending p) {
        Map<String, RoleConfigurationDelta> byRole = new LinkedHashMap<>();
        p.deltas().forEach(x -> byRole.put(x.role(), x));
        List<InstanceRef> targets = new ArrayList<>();
        model.deployment(p.deploymentId()).ifPresent(d -> p.remaining().forEach(id -> d.instance(id)
                .ifPresent(i -> targets.add(new InstanceRef(d.id(), i.role(), i.id())))));
        // an instance is confirmed on disk before its operation counts it: a daemon killed between the two writes
        // left the operation one unit short, which it gets back here (none at a rollout's start)
        operations.get(p.operationId()).ifPresent(o -> {
            for (int n = o.completed(); n < o.total() - p.remaining().size(); n++) {
                operations.unitDone(p.operationId(), null);
            }
        });
        for (String gone : p.remaining()) {
            if (targets.stream().noneMatch(r -> r.instanceId().equals(gone))) {
                operations.unitDone(p.operationId(), null); // removed meanwhile: nothing left to change there
                configurationChanges.done(p.operationId(), gone);
            }
        }
        ConfigurationWalk walk = new ConfigurationWalk(model, ports.runtime(), workflows, operations, executor,
                policy.configurationChangeTimeout(), configurationChanges);
        CompletableFuture.runAsync(() -> {
            try {
                walk.run(p, byRole, targets);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                rolloutEnded(p.deploymentId());
            }
        }, executor);
    }

    // ---- VIP swap

    /**
     * Swap Deployment: the deployment and the one in the other slot of its service exchange their VIPs (each input
     * endpoint's port) and their slots; their names and ids stay. With the other slot empty the deployment moves
     * into it, on free ports. The swap is persisted ({@link SwapIntent}) before the first listener moves and its end
     * is one write, so a daemon killed in between completes it on start ({@link #resumeSwaps}) with the same
     * operation. Refused, changing nothing, while either deployment has an operation in progress or is being
     * deleted, while another swap of the service is in flight, or when their input endpoints differ.
     */
    public OperationRecord swap(String deploymentId, VipSwapper vips) {
        SwapIntent intent;
        synchronized (model) {
            DeploymentRecord d = model.requireDeployment(deploymentId);
            Optional<DeploymentRecord> other = model.desired().deployments().stream()
                    .filter(x -> x.serviceName().equals(d.serviceName()) && x.slot() != d.slot()).findFirst();
            List<DeploymentRecord> both = new ArrayList<>(List.of(d));
            other.ifPresent(both::add);
            for (DeploymentRecord x : both) {
                if (x.deleting()) {
                    throw new IllegalStateException("cannot swap: deployment '" + x.name() + "' is being deleted");
                }
                Optional<OperationRecord> busy = operationInProgress(x.id());
                if (busy.isPresent()) {
                    throw new IllegalStateException("cannot swap while deployment '" + x.name() + "' has an "
                            + "operation in progress: " + busy.get().kind() + " " + busy.get().id()
                            + "; swap once it has finished");
                }
            }
            model.swaps().stream().filter(x -> x.serviceName().equals(d.serviceName())).findFirst().ifPresent(x -> {
                throw new IllegalStateException("a swap of service '" + d.serviceName() + "' is in progress "
                        + "(operation " + x.operationId() + ")");
            });
            String production = both.stream().filter(x -> x.slot() == Slot.PRODUCTION).map(DeploymentRecord::id)
                    .findFirst().orElse(null);
            String staging = both.stream().filter(x -> x.slot() == Slot.STAGING).map(DeploymentRecord::id)
                    .findFirst().orElse(null);
            Map<String, Integer> ports = vips.plan(production, staging);
            Map<String, Slot> slots = new LinkedHashMap<>();
            both.forEach(x -> slots.put(x.id(), x.slot() == Slot.PRODUCTION ? Slot.STAGING : Slot.PRODUCTION));
            String target = both.stream().map(x -> x.name() + " " + SwapSteps.cloud(x.slot()) + "->"
                    + SwapSteps.cloud(slots.get(x.id()))).collect(Collectors.joining(", "));
            String operationId = operations.start("SwapDeployment", target, 1);
            both.forEach(x -> operationDeployments.put(operationId, x.id()));
            intent = new SwapIntent(operationId, d.serviceName(), slots, ports);
            model.startSwap(intent, swaps.events(intent, both, "started: " + target, true));
        }
        swaps.complete(intent, vips);
        return operations.get(intent.operationId()).orElseThrow();
    }

    /**
     * After a daemon restart, once the VIP listeners are bound again: complete every swap a kill cut, with its own
     * operation (the listeners are put on the ports the intent names, whichever of them had moved already).
     */
    public void resumeSwaps(VipSwapper vips) {
        for (SwapIntent intent : model.swaps()) {
            model.appendEvents(swaps.events(intent, swaps.deployments(intent), "resumed after a daemon restart", true));
            swaps.complete(intent, vips);
        }
    }

    /** The operations of swaps still in flight (recovery must not abandon them). */
    public Set<String> swapOperations() {
        return model.swaps().stream().map(SwapIntent::operationId).collect(Collectors.toSet());
    }

    /**
     * An operation working on the deployment now, if any: one this daemon started, a configuration or topology walk
     * (persisted, so also one resumed after a restart), or an instance step an earlier daemon left.
     */
    private Optional<OperationRecord> operationInProgress(String deploymentId) {
        Set<String> ids = new LinkedHashSet<>();
        operationDeployments.entrySet().removeIf(e -> operations.get(e.getKey()).map(OperationRecord::done)
                .orElse(true)); // finished ones are forgotten here, so the map stays small
        operationDeployments.forEach((op, dep) -> {
            if (dep.equals(deploymentId)) {
                ids.add(op);
            }
        });
        configurationChanges.all().stream().filter(p -> p.deploymentId().equals(deploymentId))
                .forEach(p -> ids.add(p.operationId()));
        model.deployment(deploymentId).ifPresent(d -> d.instances().stream().map(InstanceRecord::intent)
                .filter(Objects::nonNull).map(Intent::operationId).filter(Objects::nonNull)
                .forEach(ids::add));
        return ids.stream().map(operations::get).flatMap(Optional::stream).filter(o -> !o.done()).findFirst();
    }

    // ---- fault injection

    /** A QA fault on one instance; its id shows in the event log next to the transitions it causes. */
    public OperationRecord injectFault(String deploymentId, String instanceId, InjectedFault fault) {
        DeploymentRecord d = model.requireDeployment(deploymentId);
        InstanceRecord i = d.instance(instanceId).orElseThrow(() -> new FabricModel.NoSuchElementException(
                "no instance '" + instanceId + "' in deployment '" + d.name() + "'"));
        InstanceRef ref = new InstanceRef(d.id(), i.role(), i.id());
        return run("InjectFault:" + fault.name(), instanceId, List.of(ref), fault.trigger(), (r, op) -> {
            switch (fault) {
                case KILL_PROCESS -> ports.faults().killProcess(r);
                case GUEST_CRASH -> ports.faults().crashGuest(r);
                case PAUSE -> ports.faults().pause(r);
                case STOP_HEARTBEATS -> ports.faults().stopHeartbeats(r);
                case FAIL_NEXT_BOOT -> ports.faults().failNextBoot(r);
                case HOST_FAILURE -> {
                    ports.faults().failHost(r);
                    return workflows.boot(r, Trigger.FAULT_HOST_FAILURE, null, op);
                }
            }
            return null;
        }, null);
    }

    // ---- queries

    public List<DeploymentSnapshot> deployments() {
        return model.desired().deployments().stream().map(d -> view(d.id())).flatMap(Optional::stream).toList();
    }

    public Optional<DeploymentSnapshot> view(String deploymentId) {
        synchronized (model) {
            return model.deployment(deploymentId).map(d -> {
                List<InstanceSnapshot> instances = new ArrayList<>();
                for (InstanceRecord i : d.instances()) {
                    InstanceRef ref = new InstanceRef(d.id(), i.role(), i.id());
                    ObservedInstance o = model.observed(ref).orElseThrow();
                    instances.add(new InstanceSnapshot(ref, i.updateDomain(), i.faultDomain(), o.state(), o.since(),
                            o.detail(), i.overlayGeneration(), o.state().inRotation(), o.errorCode()));
                }
                return new DeploymentSnapshot(d.id(), d.name(), d.serviceName(), d.slot(), status(d, instances),
                        d.roles(), instances, runningRollout(d.id()).map(this::upgradeStatus).orElse(null));
            });
        }
    }

    private static String status(DeploymentRecord d, List<InstanceSnapshot> instances) {
        if (d.suspended()) {
            boolean settled = instances.stream().allMatch(i -> i.state() == InstanceState.STOPPED_DEALLOCATED);
            return settled ? "Suspended" : "SuspendedTransitioning";
        }
        boolean settled = instances.stream().allMatch(i -> i.state() == InstanceState.READY_ROLE
                || i.state() == InstanceState.STOPPED_VM);
        return settled ? "Running" : "RunningTransitioning";
    }

    public Optional<InstanceState> state(String deploymentId, String instanceId) {
        return model.deployment(deploymentId).flatMap(d -> d.instance(instanceId))
                .flatMap(i -> model.state(new InstanceRef(deploymentId, i.role(), i.id())));
    }

    public List<LifecycleEvent> events(String deploymentId) {
        return model.events(deploymentId);
    }

    public Optional<OperationRecord> operation(String operationId) {
        return operations.get(operationId);
    }

    /** Wait (real time, bounded) for an operation to finish. */
    public OperationRecord await(String operationId, Duration deadline) throws InterruptedException {
        return operations.await(operationId, deadline);
    }

    public FabricModel model() {
        return model;
    }

    public InstanceWorkflows workflows() {
        return workflows;
    }

    public HealingPolicy policy() {
        return policy;
    }

    public Executor executor() {
        return executor;
    }

    /** The operation registry (recovery reports the steps it finishes into the operations that started them). */
    public OperationTracker operations() {
        return operations;
    }

    /** Start watching an adopted instance's agent (recovery): heartbeat deadline from now. */
    public void watchAgent(InstanceRef ref) {
        healer.arm(ref);
    }

    /** The allowed requests of a state, for API error details and docs. */
    public static Set<Trigger> allowed(InstanceState state) {
        return TransitionTable.get().allowedRequests(state);
    }

    // ---- plumbing

    /**
     * Check every instance, register the operation, apply the first transition of all of them atomically, then run
     * the work per instance on the executor; {@code whenAllDone} runs after the last one.
     */
    private OperationRecord run(String kind, String target, List<InstanceRef> refs, Trigger trigger,
                                BiFunction<InstanceRef, String, String> work, Runnable whenAllDone) {
        String operationId;
        synchronized (model) {
            model.checkAll(refs, trigger);
            operationId = operations.start(kind, target, refs.size());
            refs.stream().findFirst().ifPresent(r -> operationDeployments.put(operationId, r.deploymentId()));
            model.applyAll(refs, trigger, kind + " requested", operationId);
        }
        // the last unit runs whenAllDone before it reports: the operation is done only once its effect is complete
        // (a deleted deployment is forgotten before DeleteDeployment succeeds, so the next request cannot see it)
        AtomicInteger remaining = new AtomicInteger(refs.size());
        for (InstanceRef ref : refs) {
            CompletableFuture.runAsync(() -> {
                String error;
                try {
                    error = work.apply(ref, operationId);
                } catch (RuntimeException e) {
                    error = ref.instanceId() + ": " + e;
                }
                if (remaining.decrementAndGet() == 0 && whenAllDone != null) {
                    try {
                        whenAllDone.run();
                    } catch (RuntimeException e) {
                        error = error != null ? error : kind + " could not finish: " + e;
                    }
                }
                operations.unitDone(operationId, error);
            }, executor);
        }
        if (refs.isEmpty() && whenAllDone != null) {
            whenAllDone.run();
        }
        return operations.get(operationId).orElseThrow();
    }

    private static List<InstanceRef> refs(DeploymentRecord d, List<InstanceRecord> instances) {
        return instances.stream().map(i -> new InstanceRef(d.id(), i.role(), i.id())).toList();
    }

    private List<InstanceRef> refsExcept(DeploymentRecord d, InstanceState skip) {
        return refs(d, d.instances()).stream().filter(r -> model.state(r).orElse(null) != skip).toList();
    }
}
