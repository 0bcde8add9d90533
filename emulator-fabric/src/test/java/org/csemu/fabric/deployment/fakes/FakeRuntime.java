package org.csemu.fabric.deployment.fakes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.InstancePlanner;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.ConfigurationChange;
import org.csemu.fabric.spi.ConfigurationChangeOutcome;
import org.csemu.fabric.spi.DiskPlan;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.FaultInjector;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.RuntimeEvents;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.ShutdownMode;

/**
 * An in-memory substrate: domains with an overlay id, a local-storage disk whose resources hold "data", and a
 * scripted guest agent. Guest messages are queued and delivered by {@link #settle()}, as they would arrive after the
 * runtime call returned. Records every call in the shared {@link Timeline}.
 */
public final class FakeRuntime implements InstanceRuntime, RuntimeEvents, FaultInjector {

    /** The fake keeps no files, forwards or drives: it boots from the controller's spec alone and needs no plan. */
    public static final InstancePlanner NO_PLANS = new InstancePlanner() {
        @Override
        public InstancePlan plan(DeploymentRecord deployment, InstanceSpec spec) {
            return null;
        }

        @Override
        public void release(InstanceRef ref) {
            // nothing was reserved
        }
    };

    /** One fake domain and its disks. */
    public static final class Domain {
        public final InstanceRef ref;
        public DomainInfo.Power power = DomainInfo.Power.SHUT_OFF;
        public long overlayGeneration;
        public int overlayId;
        public int localDiskId;
        public int configDriveVersion;
        /**
         * The config drive file (a new number for every write), written by the real runtime's rule: rebuilt,
         * missing, a new recycle id (reboot, recycle, reimage) or a wipe to carry out.
         */
        public int configDriveFile;
        public long recycleGeneration = -1;
        /**
         * The guest's own evidence, as the contract suite's probe role keeps it: the boots counted on the OS disk
         * and in each local resource (a counter is lost with its disk, or with a wipe of its resource).
         */
        public int osBoots;
        public final Map<String, Integer> localBoots = new HashMap<>();
        public boolean firstBootPending;
        public boolean heartbeating = true;
        public final Set<String> localData = new HashSet<>();
        public int boots;
        public final List<ConfigurationChange> changesSeen = new ArrayList<>();
        /** Set for a domain of another fabric (data directory). */
        public String fabricId;

        Domain(InstanceRef ref) {
            this.ref = ref;
        }
    }

    private final Timeline timeline;
    private final Map<InstanceRef, Domain> domains = new LinkedHashMap<>();
    private final Deque<RuntimeEvent> pending = new ArrayDeque<>();
    private final List<Consumer<RuntimeEvent>> listeners = new ArrayList<>();
    private final Map<InstanceRef, Integer> failingTaskBoots = new HashMap<>();
    private final Set<InstanceRef> failNextBoot = new HashSet<>();
    private final Set<InstanceRef> unbootable = new HashSet<>();
    private final Set<InstanceRef> cancelChanging = new HashSet<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private int nextOverlayId = 1;
    private int nextLocalDiskId = 1;
    private int nextConfigDriveFile = 1;
    private int bootCounter;
    private String fabricId = "unset";
    private volatile Runnable callHook = () -> { };
    private String killCall;
    private boolean killed;
    private Consumer<Domain> killDamage;

    /** Thrown where the daemon "dies": an Error, so no controller code mistakes it for a failed call. */
    public static final class SimulatedKill extends Error {
        SimulatedKill(String call) {
            super("daemon killed during: " + call);
        }
    }

    public FakeRuntime(Timeline timeline) {
        this.timeline = timeline;
    }

    // ---- InstanceRuntime

    @Override
    public void boot(InstanceSpec spec, DiskPlan plan) {
        enter();
        try {
            synchronized (this) {
                InstanceRef ref = spec.ref();
                String call = "boot " + ref.instanceId() + " overlay=" + plan.overlay() + " local="
                        + plan.localStorage() + " wipe=" + plan.wipedResources() + " config=" + plan.configDrive();
                timeline.add(call);
                Domain d = domains.computeIfAbsent(ref, Domain::new);
                maybeKill(call, d);
                d.power = DomainInfo.Power.SHUT_OFF;
                if (failNextBoot.remove(ref) || unbootable.contains(ref)) {
                    throw new RuntimeOperationException("domain of " + ref + " could not be started (injected)");
                }
                if (plan.overlay() == DiskPlan.OverlayAction.NEW || d.overlayId == 0) {
                    d.overlayId = nextOverlayId++;
                    d.overlayGeneration = spec.overlayGeneration();
                    d.firstBootPending = true;
                    d.osBoots = 0;
                }
                if (plan.localStorage() == DiskPlan.LocalStorageAction.NEW || d.localDiskId == 0) {
                    d.localDiskId = nextLocalDiskId++;
                    d.localData.clear();
                    d.localBoots.clear();
                } else {
                    d.localData.removeAll(plan.wipedResources());
                    plan.wipedResources().forEach(d.localBoots::remove);
                }
                if (plan.configDrive() == DiskPlan.ConfigDriveAction.REBUILD || d.configDriveVersion == 0) {
                    d.configDriveVersion++;
                }
                if (plan.configDrive() == DiskPlan.ConfigDriveAction.REBUILD || d.configDriveFile == 0
                        || d.recycleGeneration != spec.recycleGeneration() || !plan.wipedResources().isEmpty()) {
                    d.configDriveFile = nextConfigDriveFile++;
                }
                d.recycleGeneration = spec.recycleGeneration();
                d.osBoots++;
                spec.localStorage().forEach(r -> d.localBoots.merge(r.name(), 1, Integer::sum));
                d.power = DomainInfo.Power.RUNNING;
                d.heartbeating = true;
                d.boots++;
                queueGuestBoot(d);
            }
        } finally {
            exit();
        }
    }

    private void queueGuestBoot(Domain d) {
        String bootId = "b" + (++bootCounter);
        if (d.firstBootPending) {
            d.firstBootPending = false;
            pending.add(new RuntimeEvent.AgentHello(d.ref, bootId, true));
            pending.add(new RuntimeEvent.SetupRestart(d.ref));
            bootId = "b" + (++bootCounter);
        }
        pending.add(new RuntimeEvent.AgentHello(d.ref, bootId, false));
        int failing = failingTaskBoots.getOrDefault(d.ref, 0);
        if (failing > 0) {
            failingTaskBoots.put(d.ref, failing - 1);
            pending.add(new RuntimeEvent.TaskFailed(d.ref, 0, 1, "install.sh: exit 1"));
        } else {
            pending.add(new RuntimeEvent.Status(d.ref, RuntimeEvent.AgentStatus.READY));
        }
    }

    @Override
    public void shutdown(InstanceRef ref, ShutdownMode mode) {
        enter();
        try {
            synchronized (this) {
                timeline.add("shutdown " + ref.instanceId() + " " + mode);
                Domain d = domains.get(ref);
                maybeKill("shutdown " + ref.instanceId() + " " + mode, d);
                if (d != null) {
                    d.power = DomainInfo.Power.SHUT_OFF;
                }
                pending.removeIf(e -> e.ref().equals(ref));
            }
        } finally {
            exit();
        }
    }

    @Override
    public void delete(InstanceRef ref) {
        enter();
        try {
            synchronized (this) {
                timeline.add("delete " + ref.instanceId());
                maybeKill("delete " + ref.instanceId(), domains.get(ref));
                domains.remove(ref);
                pending.removeIf(e -> e.ref().equals(ref));
            }
        } finally {
            exit();
        }
    }

    @Override
    public synchronized ConfigurationChangeOutcome changeConfiguration(InstanceSpec spec, List<ConfigurationChange> changes) {
        InstanceRef ref = spec.ref();
        Domain d = domains.get(ref);
        String call = "change " + ref.instanceId() + " " + changes;
        maybeKill(call, d);
        if (d == null || d.power != DomainInfo.Power.RUNNING) {
            timeline.add(call + " -> NOT_RUNNING");
            if (d != null) {
                d.configDriveVersion++;
            }
            return ConfigurationChangeOutcome.NOT_RUNNING;
        }
        if (cancelChanging.contains(ref)) {
            timeline.add(call + " -> RECYCLE_REQUIRED");
            return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
        }
        d.configDriveVersion++;
        d.changesSeen.addAll(changes);
        timeline.add(call + " -> APPLIED");
        return ConfigurationChangeOutcome.APPLIED;
    }

    /** The role of this instance cancels every Changing (the fabric must recycle it instead). */
    public synchronized void cancelChanging(InstanceRef ref) {
        cancelChanging.add(ref);
    }

    @Override
    public synchronized List<DomainInfo> list() {
        return domains.values().stream()
                .map(d -> new DomainInfo(d.ref, d.fabricId != null ? d.fabricId : fabricId, d.overlayGeneration,
                        d.power)).toList();
    }

    @Override
    public synchronized void reconnect(InstanceRef ref) {
        timeline.add("reconnect " + ref.instanceId());
        Domain d = domains.get(ref);
        if (d != null && d.power == DomainInfo.Power.RUNNING && d.heartbeating) {
            pending.add(new RuntimeEvent.Heartbeat(ref, RuntimeEvent.AgentStatus.READY));
        }
    }

    /**
     * The daemon dies when this call is made: {@code damage} leaves the domain as the interrupted call would (say,
     * the old overlay deleted and the new one not created yet), then {@link SimulatedKill} is thrown.
     */
    public synchronized void killAt(String call, Consumer<Domain> damage) {
        this.killCall = call;
        this.killDamage = damage;
    }

    /** Whether the daemon "died" at the call given to {@link #killAt}. */
    public synchronized boolean killed() {
        return killed;
    }

    private void maybeKill(String call, Domain d) {
        if (call.equals(killCall)) {
            killCall = null;
            killed = true;
            if (d != null) {
                killDamage.accept(d);
            }
            throw new SimulatedKill(call);
        }
    }

    private void enter() {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        callHook.run();
    }

    private void exit() {
        inFlight.decrementAndGet();
    }

    // ---- RuntimeEvents

    @Override
    public synchronized void subscribe(Consumer<RuntimeEvent> listener) {
        listeners.add(listener);
    }

    /** Deliver queued guest and libvirt events, in order, until none are left (handling may queue more). */
    public void settle() {
        settleWhere(ref -> true);
    }

    /**
     * Deliver the queued events of the instances {@code deliverable} accepts, in order, keeping the others queued:
     * with a real executor a boot's guest messages must not overtake the controller's own DOMAIN_STARTED.
     */
    public void settleWhere(java.util.function.Predicate<InstanceRef> deliverable) {
        while (true) {
            RuntimeEvent e = null;
            List<Consumer<RuntimeEvent>> targets;
            synchronized (this) {
                java.util.Set<InstanceRef> blocked = new HashSet<>();
                for (java.util.Iterator<RuntimeEvent> it = pending.iterator(); it.hasNext(); ) {
                    RuntimeEvent candidate = it.next();
                    if (!blocked.contains(candidate.ref()) && deliverable.test(candidate.ref())) {
                        it.remove();
                        e = candidate;
                        break;
                    }
                    blocked.add(candidate.ref()); // keep each instance's events in order
                }
                targets = List.copyOf(listeners);
            }
            if (e == null) {
                return;
            }
            RuntimeEvent event = e;
            targets.forEach(l -> l.accept(event));
        }
    }

    /** Queue an event as the substrate would report it and deliver everything queued. */
    public void deliver(RuntimeEvent event) {
        synchronized (this) {
            pending.add(event);
        }
        settle();
    }

    /** Send one heartbeat (status Ready) from every running guest whose agent still beats. */
    public void heartbeatAll() {
        synchronized (this) {
            for (Domain d : domains.values()) {
                if (d.power == DomainInfo.Power.RUNNING && d.heartbeating) {
                    pending.add(new RuntimeEvent.Heartbeat(d.ref, RuntimeEvent.AgentStatus.READY));
                }
            }
        }
        settle();
    }

    // ---- FaultInjector

    @Override
    public synchronized void killProcess(InstanceRef ref) {
        stopUnasked(ref, "fault kill ", "QEMU process killed (SIGKILL)");
    }

    @Override
    public synchronized void crashGuest(InstanceRef ref) {
        stopUnasked(ref, "fault guest-crash ", "the guest kernel panicked (CRASHED/PANICKED)");
    }

    /** The domain stops on its own: its queued guest messages are lost and the crash is reported instead. */
    private void stopUnasked(InstanceRef ref, String fault, String detail) {
        timeline.add(fault + ref.instanceId());
        domains.get(ref).power = DomainInfo.Power.SHUT_OFF;
        pending.removeIf(e -> e.ref().equals(ref));
        pending.add(new RuntimeEvent.Crashed(ref, detail));
    }

    @Override
    public synchronized void pause(InstanceRef ref) {
        timeline.add("fault pause " + ref.instanceId());
        Domain d = domains.get(ref);
        d.power = DomainInfo.Power.PAUSED;
        d.heartbeating = false;
    }

    @Override
    public synchronized void failHost(InstanceRef ref) {
        timeline.add("fault host " + ref.instanceId());
        domains.remove(ref);
        pending.removeIf(e -> e.ref().equals(ref));
    }

    @Override
    public synchronized void stopHeartbeats(InstanceRef ref) {
        timeline.add("fault heartbeats " + ref.instanceId());
        domains.get(ref).heartbeating = false;
    }

    @Override
    public synchronized void failNextBoot(InstanceRef ref) {
        timeline.add("fault failboot " + ref.instanceId());
        failNextBoot.add(ref);
    }

    // ---- test controls

    public synchronized void setFabricId(String id) {
        this.fabricId = id;
    }

    /** The next {@code boots} boots of the instance fail their first startup task. */
    public synchronized void failStartupTask(InstanceRef ref, int boots) {
        failingTaskBoots.put(ref, boots);
    }

    /** Every boot of the instance fails (a broken image). */
    public synchronized void makeUnbootable(InstanceRef ref, boolean value) {
        if (value) {
            unbootable.add(ref);
        } else {
            unbootable.remove(ref);
        }
    }

    /** Role code writes something into a local resource. */
    public synchronized void writeLocal(InstanceRef ref, String resource) {
        domains.get(ref).localData.add(resource);
    }

    public synchronized Domain domain(String instanceId) {
        return domains.values().stream().filter(d -> d.ref.instanceId().equals(instanceId)).findFirst().orElse(null);
    }

    public synchronized Map<InstanceRef, Domain> domains() {
        return Map.copyOf(domains);
    }

    /** Put a domain that the controller never created (an orphan, or another fabric's). */
    public synchronized Domain plant(InstanceRef ref, DomainInfo.Power power) {
        Domain d = domains.computeIfAbsent(ref, Domain::new);
        d.power = power;
        d.overlayId = nextOverlayId++;
        d.localDiskId = nextLocalDiskId++;
        return d;
    }

    /** The "killed" daemon's controller no longer listens. */
    public synchronized void unsubscribeAll() {
        listeners.clear();
    }

    public synchronized void forgetPendingEvents() {
        pending.clear();
    }

    public void onEveryCall(Runnable hook) {
        this.callHook = hook;
    }

    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    public int concurrentCalls() {
        return inFlight.get();
    }

    public void resetConcurrency() {
        maxInFlight.set(0);
    }

}
