package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.deployment.fakes.Fixtures.WEB;
import static org.csemu.fabric.deployment.fakes.Fixtures.WORKER;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.ConfigurationChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change Deployment Configuration on the fake substrate: settings applied in place (Changing, Changed) upgrade domain
 * by upgrade domain, a role that cancels Changing recycled, certificates always recycled, a new OS image reimaged,
 * stopped instances given the new drive, and refusals that change nothing.
 */
class ConfigurationChangeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private ExecutorService pool;
    private Harness h;
    private String dep;

    @BeforeEach
    void deploy() {
        pool = Executors.newCachedThreadPool();
        h = Harness.open(dir, Harness.POLICY, pool);
        h.controller.createDeployment("dep1", Slot.PRODUCTION, Fixtures.definition(false), Fixtures.configuration(3, 1, 0));
        dep = h.deployment("dep1").id();
        h.pumpUntil(() -> h.deployment("dep1").status().equals("Running"), WAIT);
        h.timeline.clear();
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        // a walk's last write (operations, configuration changes) must land before the temp directory goes
        assertThat(pool.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void changedSettingsAreOfferedToEveryInstanceInPlaceUpgradeDomainByUpgradeDomainWithoutLeavingRotation() {
        int eventsBefore = h.controller.events(dep).size();
        OperationRecord op = h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null)));
        OperationRecord done = finish(op);

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(done.total()).isEqualTo(3);
        // the web role's three instances are in upgrade domains 0, 1, 2: walked in that order; the worker untouched
        assertThat(h.timeline.matching("change ")).containsExactly(
                "change WebRole1_IN_0 [setting:Greeting] -> APPLIED",
                "change WebRole1_IN_1 [setting:Greeting] -> APPLIED",
                "change WebRole1_IN_2 [setting:Greeting] -> APPLIED");
        assertThat(h.timeline.matching("boot ")).isEmpty();
        assertThat(h.timeline.matching("shutdown ")).isEmpty();
        assertThat(h.timeline.entries()).noneMatch(e -> e.startsWith("in ") || e.startsWith("out "));
        for (String id : List.of("WebRole1_IN_0", "WebRole1_IN_1", "WebRole1_IN_2")) {
            assertThat(h.state(dep, id)).isEqualTo(InstanceState.READY_ROLE);
            assertThat(h.rotation.inRotation(id)).isTrue();
            assertThat(h.runtime.domain(id).changesSeen).containsExactly(ConfigurationChange.setting("Greeting"));
        }
        List<LifecycleEvent> all = h.controller.events(dep).subList(eventsBefore, h.controller.events(dep).size());
        // each upgrade domain's start and end is a deployment-level event of the operation
        assertThat(all).filteredOn(e -> e.instanceId() == null).extracting(LifecycleEvent::to)
                .containsExactly("UD0:During", "UD0:Done", "UD1:During", "UD1:Done", "UD2:During", "UD2:Done");
        List<LifecycleEvent> events = all.stream().filter(e -> e.instanceId() != null).toList();
        assertThat(events).hasSize(3).allSatisfy(e -> {
            assertThat(e.trigger()).isEqualTo(Trigger.CONFIGURATION_CHANGED);
            assertThat(e.from()).isEqualTo("ReadyRole");
            assertThat(e.to()).isEqualTo("ReadyRole");
            assertThat(e.cause()).isEqualTo("settings Greeting");
            assertThat(e.operationId()).isEqualTo(op.id());
        });
    }

    @Test
    void aRoleThatCancelsChangingIsRecycledOnItsOverlayAndTheNextUpgradeDomainWaitsForIt() {
        FakeRuntime.Domain first = h.runtime.domain("WebRole1_IN_0");
        int overlay = first.overlayId;
        h.runtime.cancelChanging(first.ref);
        int eventsBefore = h.controller.events(dep).size();

        OperationRecord done = finish(h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null))));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        List<String> recycled = h.controller.events(dep).subList(eventsBefore, h.controller.events(dep).size()).stream()
                .filter(e -> java.util.Objects.equals(e.instanceId(), "WebRole1_IN_0")).map(LifecycleEvent::to).toList();
        assertThat(recycled).containsExactly("StoppingRole", "StartingVM", "StartingRole", "ReadyRole");
        assertThat(h.runtime.domain("WebRole1_IN_0").overlayId).as("same overlay").isEqualTo(overlay);
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(InstanceState.READY_ROLE);
        // upgrade domain 1 is offered the change only after domain 0's recycled instance serves again
        int bootOfFirst = h.timeline.indexOf("boot WebRole1_IN_0 overlay=KEEP local=KEEP wipe=[cache] config=KEEP");
        int readyOfFirst = h.timeline.indexOf("in WebRole1_IN_0");
        int changeOfSecond = h.timeline.indexOf("change WebRole1_IN_1 [setting:Greeting] -> APPLIED");
        assertThat(bootOfFirst).as(h.timeline.entries().toString()).isNotNegative();
        assertThat(readyOfFirst).as(h.timeline.entries().toString()).isGreaterThan(bootOfFirst);
        assertThat(changeOfSecond).isGreaterThan(readyOfFirst);
    }

    @Test
    void aCertificateChangeRecyclesEveryInstanceWithoutChangingChanged() {
        OperationRecord done = finish(h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WORKER, List.of("Mode"), true, false, null))));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.timeline.matching("change ")).isEmpty();
        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot WorkerRole1_IN_0 overlay=KEEP local=KEEP wipe=[scratch] config=KEEP");
        assertThat(h.controller.events(dep)).anyMatch(e -> java.util.Objects.equals(e.instanceId(), "WorkerRole1_IN_0")
                && e.trigger() == Trigger.RECYCLE_REQUESTED && e.cause().contains("certificates"));
    }

    @Test
    void aNewOsImageReimagesEveryInstanceOfTheRoleOntoIt() {
        int overlay = h.runtime.domain("WorkerRole1_IN_0").overlayId;

        OperationRecord done = finish(h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WORKER, List.of(), false, true, "other-image"))));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.controller.model().requireDeployment(dep).role(WORKER).orElseThrow().osImage())
                .isEqualTo("other-image");
        assertThat(h.controller.workflows().spec(h.ref(dep, "WorkerRole1_IN_0")).osImage()).isEqualTo("other-image");
        assertThat(h.runtime.domain("WorkerRole1_IN_0").overlayId).as("new overlay").isNotEqualTo(overlay);
        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot WorkerRole1_IN_0 overlay=NEW local=KEEP wipe=[scratch] config=REBUILD");
        assertThat(h.state(dep, "WorkerRole1_IN_0")).isEqualTo(InstanceState.READY_ROLE);
    }

    @Test
    void aStoppedInstanceGetsTheNewDriveAndStaysStopped() {
        finish(h.controller.perform(dep, InstanceOperation.STOP, List.of("WorkerRole1_IN_0")));
        int drive = h.runtime.domain("WorkerRole1_IN_0").configDriveVersion;
        h.timeline.clear();

        OperationRecord done = finish(h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WORKER, List.of("Mode"), false, false, null))));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.timeline.matching("change ")).containsExactly("change WorkerRole1_IN_0 [setting:Mode] -> NOT_RUNNING");
        assertThat(h.runtime.domain("WorkerRole1_IN_0").configDriveVersion).isEqualTo(drive + 1);
        assertThat(h.state(dep, "WorkerRole1_IN_0")).isEqualTo(InstanceState.STOPPED_VM);
    }

    @Test
    void aNewOsImageIsRefusedAsAWholeWhileAnInstanceOfTheRoleIsStopped() {
        finish(h.controller.perform(dep, InstanceOperation.STOP, List.of("WorkerRole1_IN_0")));
        h.timeline.clear();

        assertThatThrownBy(() -> h.controller.changeConfiguration(dep, List.of(
                new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null),
                new RoleConfigurationDelta(WORKER, List.of(), false, true, "other-image"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WorkerRole1_IN_0 is StoppedVM").hasMessageContaining("start it");
        assertThat(h.controller.model().requireDeployment(dep).role(WORKER).orElseThrow().osImage()).isNull();
        assertThat(h.timeline.entries()).isEmpty();
    }

    @Test
    void nothingToChangeIsAnOperationThatSucceedsAtOnce() {
        OperationRecord op = h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WEB, List.of(), false, false, null)));
        assertThat(finish(op).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(op.total()).isZero();
        assertThat(h.timeline.entries()).isEmpty();
    }

    @Test
    void aTopologyChangeIsOfferedToEveryInstanceButTheSkippedOnes() {
        OperationRecord done = finish(h.controller.notifyTopology(dep, WORKER, false, java.util.Set.of("WebRole1_IN_2")));

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(done.kind()).isEqualTo("TopologyChange");
        // upgrade domain 0 (WebRole1_IN_0 and WorkerRole1_IN_0, in parallel), then 1
        List<String> changes = h.timeline.matching("change ");
        assertThat(changes).hasSize(3);
        assertThat(changes.subList(0, 2)).containsExactlyInAnyOrder(
                "change WebRole1_IN_0 [topology:WorkerRole1] -> APPLIED",
                "change WorkerRole1_IN_0 [topology:WorkerRole1] -> APPLIED");
        assertThat(changes.get(2)).isEqualTo("change WebRole1_IN_1 [topology:WorkerRole1] -> APPLIED");
        assertThat(h.controller.events(dep)).filteredOn(e -> e.trigger() == Trigger.CONFIGURATION_CHANGED)
                .extracting(LifecycleEvent::cause).containsOnly("topology WorkerRole1");
    }

    @Test
    void aChangeCutByADaemonRestartIsResumedOverTheInstancesNotReachedYet() {
        h.runtime.killAt("change WebRole1_IN_1 [setting:Greeting]", d -> { });
        OperationRecord op = h.controller.changeConfiguration(dep,
                List.of(new RoleConfigurationDelta(WEB, List.of("Greeting"), false, false, null)));
        h.pumpUntil(h.runtime::killed, WAIT);

        h = h.restart(pool);
        // a second change is refused while this one is unfinished, across the restart too (derived from the disk)
        assertThat(h.controller.runningConfigurationChange(dep)).contains(op.id());
        new org.csemu.fabric.recovery.Recovery(h.controller, h.runtime).run();
        OperationRecord done = finish(op);

        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(done.completed()).isEqualTo(3);
        // upgrade domain 0 was confirmed before the restart and is not offered the change again
        assertThat(h.timeline.matching("change ")).containsExactly(
                "change WebRole1_IN_0 [setting:Greeting] -> APPLIED",
                "change WebRole1_IN_1 [setting:Greeting] -> APPLIED",
                "change WebRole1_IN_2 [setting:Greeting] -> APPLIED");
        h.pumpUntil(() -> h.controller.configurationChangeOperations().isEmpty(), WAIT); // the walk forgets it last
        assertThat(h.controller.runningConfigurationChange(dep)).isEmpty();
    }

    private OperationRecord finish(OperationRecord op) {
        h.pumpUntil(() -> h.controller.operation(op.id()).orElseThrow().status()
                != OperationRecord.Status.IN_PROGRESS, WAIT);
        return h.controller.operation(op.id()).orElseThrow();
    }
}
