package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.lifecycle.InstanceState.READY_ROLE;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash, lost heartbeat, failing startup task, unstartable domain, fault injection: healing on a manual clock. */
class HealingTest {
    private static final String IN0 = "WebRole1_IN_0";

    @TempDir
    Path dir;

    @Test
    void aCrashTakesTheInstanceOutAtOnceAndRestartsItOnTheSameOverlayWithoutAnyoneAsking() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain(IN0);
        int overlay = d.overlayId;
        h.runtime.writeLocal(d.ref, "cache");
        h.timeline.clear();

        OperationRecord fault = h.controller.injectFault(dep, IN0, InjectedFault.KILL_PROCESS);
        h.runtime.settle();

        assertThat(h.timeline.entries()).containsExactly(
                "fault kill " + IN0,
                "out " + IN0,
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[] config=KEEP",
                "in " + IN0);
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
        assertThat(d.overlayId).isEqualTo(overlay);
        assertThat(d.localData).containsExactly("cache");
        assertThat(h.rotation.inRotation("WebRole1_IN_1")).isTrue();
        assertThat(h.stateSequence(dep, IN0)).endsWith("ReadyRole", "RestartingRole", "StartingVM", "StartingRole",
                "ReadyRole");
        List<LifecycleEvent> events = h.controller.events(dep);
        assertThat(events).anyMatch(e -> e.trigger() == Trigger.FAULT_KILL_PROCESS
                && fault.id().equals(e.operationId()) && java.util.Objects.equals(e.instanceId(), IN0));
        assertThat(events).anyMatch(e -> e.trigger() == Trigger.CRASHED && e.cause().contains("SIGKILL"));
    }

    @Test
    void aGuestKernelPanicIsACrashOutAtOnceRestartedOnTheSameOverlayAndSaysSo() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain(IN0);
        int overlay = d.overlayId;
        h.runtime.writeLocal(d.ref, "cache");
        h.timeline.clear();

        OperationRecord fault = h.controller.injectFault(dep, IN0, InjectedFault.GUEST_CRASH);
        h.runtime.settle();

        // the fault asks the guest kernel to panic (not kill QEMU); the rest is the crash row of the lifecycle table
        assertThat(h.timeline.entries()).containsExactly(
                "fault guest-crash " + IN0,
                "out " + IN0,
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[] config=KEEP",
                "in " + IN0);
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
        assertThat(d.overlayId).isEqualTo(overlay);
        assertThat(d.localData).containsExactly("cache");
        assertThat(h.stateSequence(dep, IN0)).endsWith("ReadyRole", "RestartingRole", "StartingVM", "StartingRole",
                "ReadyRole");
        List<LifecycleEvent> events = h.controller.events(dep);
        assertThat(events).anyMatch(e -> e.trigger() == Trigger.FAULT_GUEST_CRASH
                && fault.id().equals(e.operationId()) && java.util.Objects.equals(e.instanceId(), IN0));
        assertThat(events).anyMatch(e -> e.trigger() == Trigger.CRASHED && e.cause().contains("panicked"));
    }

    @Test
    void aCrashEventFromTheSubstrateAloneHealsTooAndOtherInstancesNeverLeaveRotation() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        h.timeline.clear();
        InstanceRef ref = h.ref(dep, "WebRole1_IN_1");
        // a libvirt lifecycle event, as the real substrate would deliver it
        h.runtime.killProcess(ref);
        h.runtime.settle();
        assertThat(h.state(dep, "WebRole1_IN_1")).isEqualTo(READY_ROLE);
        assertThat(h.timeline.matching("out ")).containsExactly("out WebRole1_IN_1");
    }

    @Test
    void aDomainThatCannotBeRestartedIsMovedToNewHardware() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain(IN0);
        h.runtime.writeLocal(d.ref, "logs");
        h.controller.injectFault(dep, IN0, InjectedFault.FAIL_NEXT_BOOT);
        h.timeline.clear();

        h.runtime.killProcess(d.ref);
        h.runtime.settle();

        assertThat(h.timeline.entries()).containsExactly(
                "fault kill " + IN0,
                "out " + IN0,
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[] config=KEEP",
                "boot " + IN0 + " overlay=NEW local=NEW wipe=[] config=REBUILD",
                "in " + IN0);
        FakeRuntime.Domain after = h.runtime.domain(IN0);
        assertThat(after.localData).isEmpty();
        assertThat(h.stateSequence(dep, IN0)).endsWith("ReadyRole", "RestartingRole", "CreatingVM", "StartingVM",
                "CreatingRole", "StartingRole", "ReadyRole");
    }

    @Test
    void aDomainThatCannotStartEvenOnNewHardwareEndsFailedStartingVM() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        InstanceRef ref = h.ref(dep, IN0);
        h.runtime.makeUnbootable(ref, true);

        OperationRecord op = h.controller.perform(dep, InstanceOperation.REBOOT, List.of(IN0));

        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.FAILED_STARTING_VM);
        OperationRecord done = h.controller.operation(op.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(OperationRecord.Status.FAILED);
        assertThat(done.errors()).singleElement().asString().contains(IN0).contains("could not be started");
        assertThat(h.rotation.inRotation(IN0)).isFalse();

        h.runtime.makeUnbootable(ref, false);
        h.controller.perform(dep, InstanceOperation.REIMAGE, List.of(IN0));
        h.runtime.settle();
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
    }

    @Test
    void hostFailureFaultDiscardsOverlayAndLocalStorage() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain(IN0);
        h.runtime.writeLocal(d.ref, "logs");
        h.timeline.clear();

        h.controller.injectFault(dep, IN0, InjectedFault.HOST_FAILURE);
        h.runtime.settle();

        assertThat(h.timeline.entries()).containsExactly("out " + IN0, "fault host " + IN0,
                "boot " + IN0 + " overlay=NEW local=NEW wipe=[] config=REBUILD", "in " + IN0);
        assertThat(h.runtime.domain(IN0).localData).isEmpty();
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
    }

    @Test
    void heartbeatLossMakesTheInstanceUnresponsiveAndItIsRecycledAfterTheGracePeriod() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        h.controller.injectFault(dep, IN0, InjectedFault.STOP_HEARTBEATS);
        h.timeline.clear();
        Instant start = h.scheduler.now();

        Instant unresponsiveAt = null;
        Instant recycledAt = null;
        for (int s = 0; s < 120 && recycledAt == null; s += 5) {
            h.scheduler.advance(Duration.ofSeconds(5));
            h.runtime.heartbeatAll();
            InstanceState st = h.state(dep, IN0);
            if (unresponsiveAt == null && st == InstanceState.UNRESPONSIVE_ROLE) {
                unresponsiveAt = h.scheduler.now();
                assertThat(h.rotation.inRotation(IN0)).isFalse();
            }
            if (unresponsiveAt != null && st == READY_ROLE) {
                recycledAt = h.scheduler.now();
            }
        }
        assertThat(unresponsiveAt).isNotNull();
        assertThat(Duration.between(start, unresponsiveAt)).isEqualTo(Duration.ofSeconds(30));
        assertThat(recycledAt).isNotNull();
        LifecycleEvent grace = h.controller.events(dep).stream()
                .filter(e -> e.trigger() == Trigger.GRACE_EXPIRED).findFirst().orElseThrow();
        assertThat(Duration.between(unresponsiveAt, grace.timestamp())).isEqualTo(Duration.ofSeconds(60));
        assertThat(h.timeline.entries()).containsSubsequence("out " + IN0, "shutdown " + IN0 + " FORCE",
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP", "in " + IN0);
        assertThat(h.timeline.matching("out ")).containsExactly("out " + IN0);
        assertThat(h.stateSequence(dep, IN0)).endsWith("ReadyRole", "UnresponsiveRole", "RestartingRole",
                "StartingVM", "StartingRole", "ReadyRole");
    }

    @Test
    void aSlowBootGetsTheBootTimeoutNotTheHeartbeatTimeoutBeforeItIsUnresponsive() {
        Harness h = Harness.open(dir, Harness.POLICY.withBootTimeout(Duration.ofSeconds(120)), Runnable::run);
        h.controller.createDeployment("dep1", org.csemu.fabric.deployment.Slot.PRODUCTION,
                org.csemu.fabric.deployment.fakes.Fixtures.definition(false),
                org.csemu.fabric.deployment.fakes.Fixtures.configuration(1, 1, 0));
        String dep = h.deployment("dep1").id();
        // the guests booted but their agents have not said a word yet (a TCG boot on a busy host)
        h.scheduler.advance(Duration.ofSeconds(31));
        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.STARTING_VM);
        h.scheduler.advance(Duration.ofSeconds(90));
        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.UNRESPONSIVE_ROLE);
    }

    @Test
    void anUnresponsiveInstanceThatBeatsAgainWithinTheGraceIsNotRecycled() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(1, 1);
        InstanceRef ref = h.ref(dep, IN0);
        h.scheduler.advance(Duration.ofSeconds(31));
        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.UNRESPONSIVE_ROLE);
        h.runtime.heartbeatAll();
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
        h.scheduler.advance(Duration.ofSeconds(20));
        h.runtime.heartbeatAll();
        h.scheduler.advance(Duration.ofSeconds(20));
        h.runtime.heartbeatAll();
        h.scheduler.advance(Duration.ofSeconds(25));
        assertThat(h.controller.events(dep)).noneMatch(e -> e.trigger() == Trigger.GRACE_EXPIRED);
        assertThat(h.rotation.inRotation(ref.instanceId())).isTrue();
    }

    @Test
    void aFailingStartupTaskCyclesWithBackoffDoublingUpToTheMaximum() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(1, 1);
        InstanceRef ref = h.ref(dep, IN0);
        h.runtime.failStartupTask(ref, 5);

        h.controller.perform(dep, InstanceOperation.REBOOT, List.of(IN0));
        h.runtime.settle();
        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.FAILED_STARTING_ROLE);
        assertThat(h.rotation.inRotation(IN0)).isFalse();
        for (int i = 0; i < 200 && h.state(dep, IN0) != READY_ROLE; i++) {
            h.scheduler.advance(Duration.ofSeconds(1));
            h.runtime.settle();
        }
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);

        List<LifecycleEvent> events = h.controller.events(dep).stream().filter(e -> java.util.Objects.equals(e.instanceId(), IN0))
                .toList();
        List<Duration> delays = new ArrayList<>();
        Instant failedAt = null;
        for (LifecycleEvent e : events) {
            if (e.to().equals("FailedStartingRole")) {
                failedAt = e.timestamp();
            } else if (e.to().equals("CyclingRole")) {
                delays.add(Duration.between(failedAt, e.timestamp()));
            }
        }
        // policy: base 5 s, max 40 s
        assertThat(delays).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(40));
        assertThat(h.stateSequence(dep, IN0)).containsSubsequence("StartingRole", "FailedStartingRole",
                "CyclingRole", "StartingVM", "StartingRole", "FailedStartingRole", "CyclingRole", "StartingVM",
                "StartingRole", "ReadyRole");
        assertThat(events).anyMatch(e -> e.trigger() == Trigger.TASK_FAILED && e.cause().contains("exited 1"));
        // after Ready the failure count starts again
        assertThat(h.controller.model().observed(ref).orElseThrow().startFailures()).isZero();
    }

    @Test
    void busyTakesTheInstanceOutAndReadyPutsItBack() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(1, 1);
        InstanceRef ref = h.ref(dep, IN0);
        h.controller.model();
        h.timeline.clear();
        deliver(h, new RuntimeEvent.Status(ref, RuntimeEvent.AgentStatus.BUSY));
        assertThat(h.state(dep, IN0)).isEqualTo(InstanceState.BUSY_ROLE);
        deliver(h, new RuntimeEvent.Heartbeat(ref, RuntimeEvent.AgentStatus.READY));
        assertThat(h.state(dep, IN0)).isEqualTo(READY_ROLE);
        assertThat(h.timeline.entries()).containsExactly("out " + IN0, "in " + IN0);
    }

    @Test
    void aRecycleRequestedByRoleCodeRebootsGracefully() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(1, 1);
        InstanceRef ref = h.ref(dep, IN0);
        h.timeline.clear();
        deliver(h, new RuntimeEvent.RecycleRequested(ref));
        h.runtime.settle();
        assertThat(h.timeline.entries()).containsExactly("out " + IN0, "shutdown " + IN0 + " GRACEFUL",
                "boot " + IN0 + " overlay=KEEP local=KEEP wipe=[cache] config=KEEP", "in " + IN0);
    }

    private static void deliver(Harness h, RuntimeEvent event) {
        // the controller subscribed the fake's event stream; a direct delivery is what the substrate would do
        h.runtime.deliver(event);
    }
}
