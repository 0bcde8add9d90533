package org.csemu.fabric.deployment;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Transition;
import org.csemu.fabric.lifecycle.TransitionTable;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.persist.EventLog;
import org.csemu.fabric.persist.JsonFileStore;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RotationPublisher;
import org.csemu.fabric.spi.Scheduler;

/**
 * The fabric's desired and observed state in memory, and the only place that changes an instance state: every change
 * is checked against the {@link TransitionTable}, applied together with its desired-record update, published to the
 * rotation (out as soon as an instance leaves ReadyRole, in when it enters it), persisted atomically and logged,
 * all under one lock, before the caller goes on to call the runtime.
 */
public final class FabricModel {
    private final TransitionTable table = TransitionTable.get();
    private final JsonFileStore<DesiredState> desiredStore;
    private final JsonFileStore<ObservedState> observedStore;
    private final EventLog eventLog;
    private final Scheduler scheduler;
    private final RotationPublisher rotation;
    private DesiredState desired;
    private DesiredState savedDesired;
    private final Map<String, Map<String, ObservedInstance>> observed = new LinkedHashMap<>();

    private FabricModel(Path dataDir, Scheduler scheduler, RotationPublisher rotation) {
        this.desiredStore = new JsonFileStore<>(dataDir.resolve("desired.json"), DesiredState.class);
        this.observedStore = new JsonFileStore<>(dataDir.resolve("observed.json"), ObservedState.class);
        this.eventLog = new EventLog(dataDir.resolve("events"));
        this.scheduler = scheduler;
        this.rotation = rotation;
    }

    /**
     * Load the state of a data directory (or start an empty one). Corrupt files stop here with
     * {@link org.csemu.fabric.persist.CorruptStateException}. Observed entries missing for a desired instance (a crash
     * between the two writes) become RoleStateUnknown; recovery settles them.
     */
    public static FabricModel open(Path dataDir, Scheduler scheduler, RotationPublisher rotation) {
        FabricModel model = new FabricModel(dataDir, scheduler, rotation);
        Optional<DesiredState> stored = model.desiredStore.load();
        model.desired = stored.orElseGet(
                () -> new DesiredState(DesiredState.VERSION, UUID.randomUUID().toString(), List.of(), List.of()));
        model.savedDesired = stored.orElse(null);
        Map<String, Map<String, ObservedInstance>> loaded =
                model.observedStore.load().map(ObservedState::deployments).orElse(Map.of());
        for (DeploymentRecord d : model.desired.deployments()) {
            Map<String, ObservedInstance> inst = new LinkedHashMap<>();
            for (InstanceRecord i : d.instances()) {
                ObservedInstance o = loaded.getOrDefault(d.id(), Map.of()).get(i.id());
                inst.put(i.id(), o != null ? o : new ObservedInstance(InstanceState.ROLE_STATE_UNKNOWN,
                        scheduler.now(), 0, 0, "no observed state on disk"));
            }
            model.observed.put(d.id(), inst);
        }
        model.persist();
        return model;
    }

    public synchronized DesiredState desired() {
        return desired;
    }

    public synchronized String fabricId() {
        return desired.fabricId();
    }

    public synchronized Optional<DeploymentRecord> deployment(String deploymentId) {
        return desired.deployments().stream().filter(d -> d.id().equals(deploymentId)).findFirst();
    }

    public synchronized DeploymentRecord requireDeployment(String deploymentId) {
        return deployment(deploymentId).orElseThrow(() -> new NoSuchElementException("no deployment '" + deploymentId
                + "'; known: " + desired.deployments().stream().map(DeploymentRecord::id).toList()));
    }

    public synchronized InstanceRecord requireInstance(InstanceRef ref) {
        return requireDeployment(ref.deploymentId()).instance(ref.instanceId()).orElseThrow(
                () -> new NoSuchElementException("no instance '" + ref.instanceId() + "' in deployment '"
                        + ref.deploymentId() + "'"));
    }

    public synchronized Optional<ObservedInstance> observed(InstanceRef ref) {
        return Optional.ofNullable(observed.getOrDefault(ref.deploymentId(), Map.of()).get(ref.instanceId()));
    }

    /** The current state; empty once the instance is gone. */
    public synchronized Optional<InstanceState> state(InstanceRef ref) {
        return observed(ref).map(ObservedInstance::state);
    }

    public synchronized Map<String, ObservedInstance> observedInstances(String deploymentId) {
        return Map.copyOf(observed.getOrDefault(deploymentId, Map.of()));
    }

    public List<LifecycleEvent> events(String deploymentId) {
        return eventLog.read(deploymentId).events();
    }

    public EventLog eventLog() {
        return eventLog;
    }

    public Instant now() {
        return scheduler.now();
    }

    /** Check that every instance allows the request, without changing anything. */
    public synchronized void checkAll(List<InstanceRef> refs, Trigger trigger) {
        for (InstanceRef ref : refs) {
            InstanceState s = state(ref).orElseThrow(() -> new NoSuchElementException("no instance " + ref));
            table.require(ref.toString(), s, trigger);
        }
    }

    /**
     * Apply a user request to several instances: all or nothing. Every instance is checked first; if one refuses,
     * nothing changes.
     */
    public synchronized List<Transition> applyAll(List<InstanceRef> refs, Trigger trigger, String cause,
                                                  String operationId) {
        checkAll(refs, trigger);
        List<Transition> done = new ArrayList<>();
        Map<String, List<LifecycleEvent>> events = new LinkedHashMap<>();
        for (InstanceRef ref : refs) {
            Transition t = table.require(ref.toString(), state(ref).orElseThrow(), trigger);
            events.computeIfAbsent(ref.deploymentId(), k -> new ArrayList<>())
                    .add(commit(ref, t, cause, operationId));
            done.add(t);
        }
        persist();
        events.forEach(eventLog::append);
        return done;
    }

    /**
     * Apply one trigger. A request the table does not allow throws {@link
     * org.csemu.fabric.lifecycle.IllegalTransitionException} and changes nothing; an event or internal trigger it
     * does not allow is stale (it raced with an operation) and is ignored: the result is empty.
     */
    public synchronized Optional<Transition> apply(InstanceRef ref, Trigger trigger, String cause, String operationId) {
        Optional<ObservedInstance> current = observed(ref);
        if (current.isEmpty()) {
            if (trigger.isRequest()) {
                throw new NoSuchElementException("no instance " + ref);
            }
            return Optional.empty();
        }
        InstanceState from = current.get().state();
        Optional<Transition> row = trigger.isRequest()
                ? Optional.of(table.require(ref.toString(), from, trigger))
                : table.find(from, trigger);
        row.ifPresent(t -> {
            LifecycleEvent event = commit(ref, t, cause, operationId);
            persist();
            eventLog.append(ref.deploymentId(), List.of(event));
        });
        return row;
    }

    /** Apply an internal trigger only if no transition happened since {@code epoch} (stale timers do nothing). */
    public synchronized Optional<Transition> applyIfEpoch(InstanceRef ref, long epoch, Trigger trigger, String cause) {
        Optional<ObservedInstance> o = observed(ref);
        if (o.isEmpty() || o.get().epoch() != epoch) {
            return Optional.empty();
        }
        return apply(ref, trigger, cause, null);
    }

    /** Change state, desired record and rotation in memory; the caller persists and logs the returned event. */
    private LifecycleEvent commit(InstanceRef ref, Transition t, String cause, String operationId) {
        Instant now = scheduler.now();
        ObservedInstance before = observed.get(ref.deploymentId()).get(ref.instanceId());
        DeploymentRecord deployment = requireDeployment(ref.deploymentId());
        if (t.removesInstance()) {
            replaceDeployment(deployment.withInstances(
                    deployment.instances().stream().filter(i -> !i.id().equals(ref.instanceId())).toList()));
            observed.get(ref.deploymentId()).remove(ref.instanceId());
        } else {
            InstanceState to = t.to().orElseThrow();
            replaceDeployment(deployment.withInstance(ref.instanceId(),
                    r -> InstanceUpdates.apply(t, r, operationId)));
            int failures = switch (t.trigger()) {
                case TASK_FAILED -> before.startFailures() + 1;
                case STATUS_READY -> 0;
                default -> before.startFailures();
            };
            observed.get(ref.deploymentId()).put(ref.instanceId(),
                    new ObservedInstance(to, now, before.epoch() + 1, failures, cause, t.trigger().errorCode()));
        }
        publishRotation(ref, before.state(), t);
        return new LifecycleEvent(now, ref.deploymentId(), ref.instanceId(), t.from().cloudName(), t.toName(),
                t.trigger(), cause, operationId);
    }

    /**
     * Rotation follows the state, except across RoleStateUnknown: a daemon restart makes every instance Unknown, and
     * the load balancer (which may have outlived the daemon) keeps the rotation it was last given until the
     * instance's real state is known. Emptying it meanwhile would fail the VIP's new connections while every
     * instance is still serving. Leaving Unknown then declares the rotation either way.
     */
    private void publishRotation(InstanceRef ref, InstanceState from, Transition t) {
        Optional<InstanceState> to = t.to();
        if (to.isPresent() && to.get() == InstanceState.ROLE_STATE_UNKNOWN) {
            return;
        }
        boolean isIn = to.map(InstanceState::inRotation).orElse(false);
        if (from == InstanceState.ROLE_STATE_UNKNOWN) {
            if (isIn) {
                rotation.putInRotation(ref);
            } else {
                rotation.takeOutOfRotation(ref);
            }
            return;
        }
        boolean wasIn = from.inRotation();
        if (wasIn && !isIn) {
            rotation.takeOutOfRotation(ref);
        } else if (!wasIn && isIn) {
            rotation.putInRotation(ref);
        }
    }

    /** Add a deployment whose instances are all Preparing. */
    public synchronized void addDeployment(DeploymentRecord deployment) {
        List<DeploymentRecord> all = new ArrayList<>(desired.deployments());
        all.add(deployment);
        desired = desired.withDeployments(all);
        Map<String, ObservedInstance> inst = new LinkedHashMap<>();
        deployment.instances().forEach(i -> inst.put(i.id(), preparing()));
        observed.put(deployment.id(), inst);
        persist();
    }

    /** Change a deployment's desired record; new instances it lists start Preparing. */
    public synchronized void updateDeployment(String deploymentId, UnaryOperator<DeploymentRecord> change) {
        DeploymentRecord updated = change.apply(requireDeployment(deploymentId));
        replaceDeployment(updated);
        Map<String, ObservedInstance> inst = observed.get(deploymentId);
        updated.instances().forEach(i -> inst.putIfAbsent(i.id(), preparing()));
        persist();
    }

    /** Change one instance's desired record outside a transition (clearing a finished step's intent). */
    public synchronized void updateInstance(InstanceRef ref, UnaryOperator<InstanceRecord> change) {
        deployment(ref.deploymentId()).ifPresent(d -> {
            if (d.instance(ref.instanceId()).isPresent()) {
                replaceDeployment(d.withInstance(ref.instanceId(), change));
                persist();
            }
        });
    }

    /** Remove a deployment that has no instances left. */
    public synchronized void removeDeployment(String deploymentId) {
        DeploymentRecord d = requireDeployment(deploymentId);
        if (!d.instances().isEmpty()) {
            throw new IllegalStateException("deployment " + deploymentId + " still has instances");
        }
        desired = desired.withDeployments(
                desired.deployments().stream().filter(x -> !x.id().equals(deploymentId)).toList());
        observed.remove(deploymentId);
        persist();
    }

    // ---- VIP swaps

    /** The swaps in flight (at most one per service). */
    public synchronized List<SwapIntent> swaps() {
        return desired.swaps();
    }

    /** Record a swap before its first listener moves; its started events go to each deployment's log. */
    public synchronized void startSwap(SwapIntent intent, List<LifecycleEvent> events) {
        List<SwapIntent> all = new ArrayList<>(desired.swaps());
        all.add(intent);
        desired = desired.withSwaps(all);
        persist();
        appendEvents(events);
    }

    /**
     * Complete a swap in one write: every deployment of it takes its new slot and the intent goes (a deployment
     * deleted meanwhile is skipped).
     */
    public synchronized void finishSwap(String operationId, List<LifecycleEvent> events) {
        SwapIntent intent = desired.swaps().stream().filter(x -> x.operationId().equals(operationId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no swap " + operationId + " in flight"));
        desired = desired.withDeployments(desired.deployments().stream()
                .map(d -> intent.slots().containsKey(d.id()) ? d.withSlot(intent.slots().get(d.id())) : d).toList())
                .withSwaps(desired.swaps().stream().filter(x -> x != intent).toList());
        persist();
        appendEvents(events);
    }

    /** Deployment-level events (no instance): the steps of a swap. */
    public void appendEvents(List<LifecycleEvent> events) {
        java.util.Map<String, List<LifecycleEvent>> byDeployment = new LinkedHashMap<>();
        events.forEach(e -> byDeployment.computeIfAbsent(e.deploymentId(), k -> new ArrayList<>()).add(e));
        byDeployment.forEach(eventLog::append);
    }

    private ObservedInstance preparing() {
        return new ObservedInstance(InstanceState.PREPARING, scheduler.now(), 0, 0, "planned");
    }

    private void replaceDeployment(DeploymentRecord updated) {
        desired = desired.withDeployments(desired.deployments().stream()
                .map(d -> d.id().equals(updated.id()) ? updated : d).toList());
    }

    private void persist() {
        if (!desired.equals(savedDesired)) {
            desiredStore.save(desired);
            savedDesired = desired;
        }
        Map<String, Map<String, ObservedInstance>> copy = new LinkedHashMap<>();
        observed.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        observedStore.save(new ObservedState(copy));
    }

    /** A deployment or instance that does not exist. */
    public static final class NoSuchElementException extends java.util.NoSuchElementException {
        public NoSuchElementException(String message) {
            super(message);
        }
    }
}
