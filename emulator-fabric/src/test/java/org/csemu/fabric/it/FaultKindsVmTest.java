package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.testing.VmTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.HealingPolicy;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every fault kind on a real guest, each to a clear end: two worker instances; {@code _IN_0} gets the fault, is
 * healed and is Ready (and in rotation) again; {@code _IN_1} never leaves rotation. For each kind the test prints
 * the state sequence and the measured time from the injection to out-of-rotation (docs/lifecycle.md quotes them).
 * The fabric runs with a 40 s heartbeat timeout (boots keep the test environment's long first-message deadline) and a
 * 10 s unresponsive grace, so the hang faults end within a minute or two under TCG.
 */
@VmTest
class FaultKindsVmTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(40);

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private final List<RotationChange> changes = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> heartbeats = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyFaultKindIsHealedAndOnlyTheFaultedInstanceLeavesRotation() throws Exception {
        HealingPolicy h = ENV.config().healing();
        FabricConfig config = ENV.config().withHealing(new HealingPolicy(HEARTBEAT_TIMEOUT, Duration.ofSeconds(10),
                h.backoffBase(), h.backoffMax(), h.drainDeadline(), h.concurrency()).withBootTimeout(h.bootTimeout()));
        Fabric fabric = ENV.start(config);
        fabric.subscribeRotation(changes::add);
        Path service = Path.of(FaultKindsVmTest.class.getResource("/services/fault-probe").toURI());
        String id = fabric.createDeployment("fault-probe", Slot.PRODUCTION, service, null).deploymentId();
        FabricChecks.awaitAllReady(fabric, id, BOOT);
        InstanceRef faulted = new InstanceRef(id, "Worker", "Worker_IN_0");
        InstanceRef other = new InstanceRef(id, "Worker", "Worker_IN_1");
        fabric.subscribeRuntimeEvents(e -> {
            if (e instanceof RuntimeEvent.Heartbeat hb && hb.ref().equals(faulted)) {
                heartbeats.add(System.nanoTime());
            }
        });
        awaitInRotation(fabric, faulted);
        awaitInRotation(fabric, other);

        StringBuilder report = new StringBuilder("| fault | states | out of rotation after | Ready again after |\n"
                + "| --- | --- | --- | --- |\n");
        for (InjectedFault kind : List.of(InjectedFault.KILL_PROCESS, InjectedFault.GUEST_CRASH, InjectedFault.PAUSE,
                InjectedFault.HOST_FAILURE, InjectedFault.STOP_HEARTBEATS, InjectedFault.FAIL_NEXT_BOOT)) {
            String line = inject(fabric, id, faulted, other, kind);
            System.out.println("fault kind on a real VM: " + line);
            report.append(line).append('\n');
        }
        System.out.println("fault kinds on real VMs:\n" + report);
    }

    private String inject(Fabric fabric, String id, InstanceRef faulted, InstanceRef other, InjectedFault kind)
            throws Exception {
        InstancePaths paths = fabric.runtime().paths(faulted);
        Object overlay = fileKey(paths.osDisk());
        Object local = fileKey(paths.localDisk());
        String countersBefore = counters(fabric, faulted);
        int mark = fabric.events(id).size();
        changes.clear();
        long injected = System.nanoTime();
        OperationRecord op = fabric.injectFault(id, faulted.instanceId(), kind);
        assertThat(fabric.await(op.id(), BOOT).status()).as(kind + ": " + op).isEqualTo(OperationRecord.Status.SUCCEEDED);
        if (kind == InjectedFault.FAIL_NEXT_BOOT) {
            // the fault arms the next boot: a reboot is that boot, it fails, the instance moves to new hardware
            OperationRecord reboot = fabric.perform(id, InstanceOperation.REBOOT, List.of(faulted.instanceId()));
            fabric.await(reboot.id(), BOOT);
        }
        Poller.standard().until(kind + ": " + faulted.instanceId() + " healed", Deadline.after(BOOT.multipliedBy(2)),
                () -> FabricChecks.states(fabric, id, faulted.instanceId(), mark).stream()
                        .anyMatch(s -> !s.equals("ReadyRole"))
                        && fabric.controller().state(id, faulted.instanceId()).orElse(null) == InstanceState.READY_ROLE);
        long healed = System.nanoTime();
        awaitInRotation(fabric, faulted);
        List<String> states = FabricChecks.states(fabric, id, faulted.instanceId(), mark);
        String describe = kind + " " + states + "\n" + FabricChecks.describe(fabric, id);

        List<RotationChange> mine = changesOf(faulted);
        assertThat(mine).as(describe).extracting(RotationChange::inRotation).containsExactly(false, true);
        assertThat(changesOf(other)).as(kind + ": the other instance never leaves rotation").isEmpty();
        assertThat(fabric.controller().state(id, other.instanceId())).contains(InstanceState.READY_ROLE);
        long outMillis = Duration.ofNanos(mine.get(0).nanoTime() - injected).toMillis();

        String after = counters(fabric, faulted);
        switch (kind) {
            case KILL_PROCESS, GUEST_CRASH -> {
                assertThat(states).as(describe).containsSubsequence("RestartingRole", "StartingVM", "StartingRole",
                        "ReadyRole");
                assertThat(fileKey(paths.osDisk())).isEqualTo(overlay);
            }
            case PAUSE, STOP_HEARTBEATS -> {
                assertThat(states).as(describe).containsSubsequence("UnresponsiveRole", "RestartingRole",
                        "StartingVM", "StartingRole", "ReadyRole");
                assertThat(fileKey(paths.osDisk())).isEqualTo(overlay);
                assertThat(outMillis).as("out of rotation only when the heartbeats are overdue")
                        .isGreaterThanOrEqualTo(HEARTBEAT_TIMEOUT.toMillis() - 1000);
            }
            case HOST_FAILURE -> {
                assertThat(states).as(describe).containsSubsequence("CreatingVM", "StartingVM", "CreatingRole",
                        "StartingRole", "ReadyRole");
                assertThat(fileKey(paths.osDisk())).as("new hardware: a new overlay").isNotEqualTo(overlay);
                assertThat(fileKey(paths.localDisk())).as("new hardware: new local storage").isNotEqualTo(local);
                assertThat(after).as("the guest starts from empty disks").isEqualTo("os=1 clean=1 keep=1");
            }
            case FAIL_NEXT_BOOT -> {
                assertThat(states).as(describe).containsSubsequence("StoppingRole", "CreatingVM", "StartingVM",
                        "CreatingRole", "StartingRole", "ReadyRole");
                assertThat(fabric.events(id).subList(mark, fabric.events(id).size())).as(describe)
                        .filteredOn(e -> java.util.Objects.equals(e.instanceId(), faulted.instanceId()))
                        .filteredOn(e -> e.trigger() == Trigger.START_FAILED).as("one failed boot").hasSize(1);
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
        if (kind == InjectedFault.STOP_HEARTBEATS || kind == InjectedFault.PAUSE) {
            // healed for good: heartbeats flow again for longer than the timeout and the instance stays Ready
            int readyMark = fabric.events(id).size();
            long since = System.nanoTime();
            Poller.standard().until(kind + ": heartbeats for longer than the timeout after the recycle",
                    Deadline.after(HEARTBEAT_TIMEOUT.multipliedBy(3)), () -> {
                        synchronized (heartbeats) {
                            return heartbeats.stream().filter(t -> t > since).count() >= 2
                                    && System.nanoTime() - since > HEARTBEAT_TIMEOUT.plusSeconds(5).toNanos();
                        }
                    });
            assertThat(FabricChecks.states(fabric, id, faulted.instanceId(), readyMark)).as(describe).isEmpty();
            assertThat(fabric.controller().state(id, faulted.instanceId())).contains(InstanceState.READY_ROLE);
        }
        return "| " + kind.name().toLowerCase(java.util.Locale.ROOT) + " | " + String.join(" → ", states) + " | "
                + outMillis + " ms | " + Duration.ofNanos(healed - injected).toSeconds() + " s |";
    }

    private List<RotationChange> changesOf(InstanceRef ref) {
        synchronized (changes) {
            return changes.stream().filter(c -> c.ref().equals(ref)).toList();
        }
    }

    private static void awaitInRotation(Fabric fabric, InstanceRef ref) throws Exception {
        Poller.standard().until(ref.instanceId() + " in the LB rotation", Deadline.after(Duration.ofSeconds(30)),
                () -> !fabric.rotation().handles(ref).isEmpty()
                        && fabric.rotation().handles(ref).stream().allMatch(b -> b.inRotation()));
    }

    private static String counters(Fabric fabric, InstanceRef ref) throws Exception {
        InstanceNetwork net = fabric.instanceNetwork(ref.deploymentId(), ref.instanceId()).orElseThrow();
        return Poller.standard().until(ref.instanceId() + " serving its counters", Deadline.after(BOOT),
                () -> Optional.of(FabricChecks.get(net.address(), net.hostPorts().get("Http"), "/state.txt").trim()));
    }

    private static Object fileKey(Path p) throws Exception {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }
}
