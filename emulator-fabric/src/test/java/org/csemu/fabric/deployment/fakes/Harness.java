package org.csemu.fabric.deployment.fakes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.FabricPorts;
import org.csemu.fabric.deployment.HealingPolicy;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.TransitionTable;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.util.Deadline;

/** A controller on fakes, in a temp data directory, with a manual clock and (by default) a caller-runs executor. */
public final class Harness {
    public static final HealingPolicy POLICY = new HealingPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(5), Duration.ofSeconds(40), Duration.ofSeconds(10), 4);

    public final Path dataDir;
    public final Timeline timeline;
    public final FakeRuntime runtime;
    public final FakeRotation rotation;
    public final ManualScheduler scheduler;
    public final FabricController controller;

    private Harness(Path dataDir, Timeline timeline, FakeRuntime runtime, ManualScheduler scheduler,
                    HealingPolicy policy, Executor executor) {
        this(dataDir, timeline, runtime, scheduler, policy, executor, new FakeRotation(timeline));
    }

    private Harness(Path dataDir, Timeline timeline, FakeRuntime runtime, ManualScheduler scheduler,
                    HealingPolicy policy, Executor executor, FakeRotation rotation) {
        this.dataDir = dataDir;
        this.timeline = timeline;
        this.runtime = runtime;
        this.scheduler = scheduler;
        this.rotation = rotation;
        this.controller = FabricController.open(dataDir, new FabricPorts(runtime, rotation, runtime, runtime,
                scheduler, FakeRuntime.NO_PLANS), policy, executor);
        runtime.setFabricId(controller.model().fabricId());
    }

    public static Harness open(Path dataDir) {
        return open(dataDir, POLICY, Runnable::run);
    }

    public static Harness open(Path dataDir, HealingPolicy policy, Executor executor) {
        Timeline timeline = new Timeline();
        return new Harness(dataDir, timeline, new FakeRuntime(timeline), new ManualScheduler(), policy, executor);
    }

    /**
     * Simulate a daemon kill and restart: the old controller stops listening, queued guest messages are lost, a new
     * controller loads the same data directory; the fake substrate (the surviving domains) is the same.
     */
    public Harness restart() {
        return restart(Runnable::run);
    }

    /** {@link #restart()} with the new controller's work on {@code executor}. */
    public Harness restart(Executor executor) {
        runtime.unsubscribeAll();
        runtime.forgetPendingEvents();
        return new Harness(dataDir, timeline, runtime, scheduler, POLICY, executor);
    }

    /** {@link #restart()} with the load balancer outliving the daemon (the VIP process): the same rotation. */
    public Harness restartKeepingTheVip() {
        runtime.unsubscribeAll();
        runtime.forgetPendingEvents();
        return new Harness(dataDir, timeline, runtime, scheduler, POLICY, Runnable::run, rotation);
    }

    /** Create the two-role deployment and let the guests boot to Ready. */
    public String deployTwoRoles(int web, int worker) {
        String id = controller.createDeployment("dep1", Slot.PRODUCTION, Fixtures.definition(false),
                Fixtures.configuration(web, worker, 0)).deployment().id();
        runtime.settle();
        return id;
    }

    /**
     * Deliver the fake guests' messages until {@code condition} holds, within {@code within}: for controllers on a
     * real thread pool, where work and guest messages interleave.
     */
    public void pumpUntil(BooleanSupplier condition, Duration within) {
        Deadline deadline = Deadline.after(within);
        while (!condition.getAsBoolean()) {
            if (deadline.expired()) {
                throw new AssertionError("condition not reached within " + within + "; timeline " + timeline.entries());
            }
            runtime.settleWhere(ref -> controller.model().state(ref)
                    .map(s -> !TransitionTable.IN_FLIGHT.contains(s)).orElse(false));
            Thread.onSpinWait();
        }
    }

    public DeploymentSnapshot deployment(String name) {
        return controller.deployments().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    public InstanceState state(String deploymentId, String instanceId) {
        return controller.state(deploymentId, instanceId).orElse(null);
    }

    public InstanceRef ref(String deploymentId, String instanceId) {
        return controller.view(deploymentId).orElseThrow().instances().stream()
                .filter(i -> i.ref().instanceId().equals(instanceId)).findFirst().orElseThrow().ref();
    }

    /** The state sequence of one instance in the event log, starting with the first from-state. */
    public List<String> stateSequence(String deploymentId, String instanceId) {
        List<LifecycleEvent> events = controller.events(deploymentId).stream()
                .filter(e -> instanceId.equals(e.instanceId())).toList();
        java.util.ArrayList<String> seq = new java.util.ArrayList<>();
        for (LifecycleEvent e : events) {
            if (seq.isEmpty()) {
                seq.add(e.from());
            }
            if (!e.to().equals(seq.get(seq.size() - 1))) {
                seq.add(e.to());
            }
        }
        return seq;
    }
}
