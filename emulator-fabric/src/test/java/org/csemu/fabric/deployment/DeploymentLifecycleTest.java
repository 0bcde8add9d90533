package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.lifecycle.InstanceState.READY_ROLE;

import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.lifecycle.IllegalTransitionException;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A two-role deployment on the fake substrate: first boot, operations with their disk semantics, scaling. */
class DeploymentLifecycleTest {
    private static final List<String> FIRST_BOOT = List.of("Preparing", "CreatingVM", "StartingVM", "CreatingRole",
            "StartingRole", "ReadyRole");

    @TempDir
    Path dir;

    @Test
    void twoRoleDeploymentReachesReadyThroughTheDocumentedFirstBootSequence() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);

        DeploymentSnapshot view = h.deployment("dep1");
        assertThat(view.status()).isEqualTo("Running");
        assertThat(view.instances()).extracting(i -> i.ref().instanceId())
                .containsExactly("WebRole1_IN_0", "WebRole1_IN_1", "WorkerRole1_IN_0");
        assertThat(view.instances()).extracting(InstanceSnapshot::updateDomain).containsExactly(0, 1, 0);
        assertThat(view.instances()).extracting(InstanceSnapshot::faultDomain).containsExactly(0, 1, 0);
        for (InstanceSnapshot i : view.instances()) {
            assertThat(i.state()).isEqualTo(READY_ROLE);
            assertThat(h.stateSequence(dep, i.ref().instanceId())).isEqualTo(FIRST_BOOT);
            assertThat(h.rotation.inRotation(i.ref().instanceId())).isTrue();
        }
        assertThat(h.timeline.matching("boot ")).containsExactlyInAnyOrder(
                "boot WebRole1_IN_0 overlay=NEW local=NEW wipe=[] config=REBUILD",
                "boot WebRole1_IN_1 overlay=NEW local=NEW wipe=[] config=REBUILD",
                "boot WorkerRole1_IN_0 overlay=NEW local=NEW wipe=[] config=REBUILD");
        // the setup restart of the first boot is an event of its own
        assertThat(h.controller.events(dep)).anyMatch(e -> java.util.Objects.equals(e.instanceId(), "WebRole1_IN_0")
                && e.trigger() == org.csemu.fabric.lifecycle.Trigger.SETUP_RESTART);
    }

    @Test
    void rebootKeepsOverlayAndWipesOnlyCleanOnRecycleResourcesAfterLeavingRotation() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain("WebRole1_IN_0");
        int overlay = d.overlayId;
        int config = d.configDriveVersion;
        h.runtime.writeLocal(d.ref, "cache");
        h.runtime.writeLocal(d.ref, "logs");
        h.timeline.clear();

        OperationRecord op = h.controller.perform(dep, InstanceOperation.REBOOT, List.of("WebRole1_IN_0"));
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(InstanceState.STARTING_VM);
        h.runtime.settle();

        assertThat(h.controller.operation(op.id()).orElseThrow().status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(READY_ROLE);
        assertThat(h.timeline.entries()).containsExactly(
                "out WebRole1_IN_0",
                "shutdown WebRole1_IN_0 GRACEFUL",
                "boot WebRole1_IN_0 overlay=KEEP local=KEEP wipe=[cache] config=KEEP",
                "in WebRole1_IN_0");
        assertThat(d.overlayId).isEqualTo(overlay);
        assertThat(d.configDriveVersion).isEqualTo(config);
        assertThat(d.localData).containsExactly("logs");
        assertThat(h.stateSequence(dep, "WebRole1_IN_0")).endsWith("ReadyRole", "StoppingRole", "StartingVM",
                "StartingRole", "ReadyRole");
    }

    @Test
    void reimageDiscardsOverlayRunsFirstBootAgainAndKeepsLocalStorageByTheRecycleRule() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain("WebRole1_IN_1");
        int overlay = d.overlayId;
        int disk = d.localDiskId;
        int config = d.configDriveVersion;
        h.runtime.writeLocal(d.ref, "cache");
        h.runtime.writeLocal(d.ref, "logs");
        h.timeline.clear();

        h.controller.perform(dep, InstanceOperation.REIMAGE, List.of("WebRole1_IN_1"));
        h.runtime.settle();

        assertThat(h.timeline.entries()).containsExactly(
                "out WebRole1_IN_1",
                "shutdown WebRole1_IN_1 GRACEFUL",
                "boot WebRole1_IN_1 overlay=NEW local=KEEP wipe=[cache] config=REBUILD",
                "in WebRole1_IN_1");
        assertThat(d.overlayId).isNotEqualTo(overlay);
        assertThat(d.localDiskId).isEqualTo(disk);
        assertThat(d.configDriveVersion).isEqualTo(config + 1);
        assertThat(d.localData).containsExactly("logs");
        assertThat(h.stateSequence(dep, "WebRole1_IN_1")).endsWith("ReadyRole", "CreatingVM", "StartingVM",
                "CreatingRole", "StartingRole", "ReadyRole");
        assertThat(h.controller.model().requireInstance(d.ref).overlayGeneration()).isEqualTo(2);
    }

    @Test
    void reimageOfAVirtualMachineRoleKeepsAllItsLocalStorage() {
        Harness h = Harness.open(dir);
        h.controller.createDeployment("vm", Slot.STAGING, Fixtures.definition(true), Fixtures.configuration(1, 1, 1));
        h.runtime.settle();
        String dep = h.deployment("vm").id();
        FakeRuntime.Domain d = h.runtime.domain("VmRole1_IN_0");
        h.runtime.writeLocal(d.ref, "data");
        h.timeline.clear();

        h.controller.perform(dep, InstanceOperation.REIMAGE, List.of("VmRole1_IN_0"));
        h.runtime.settle();

        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot VmRole1_IN_0 overlay=NEW local=KEEP wipe=[] config=REBUILD");
        assertThat(d.localData).containsExactly("data");
        assertThat(h.state(dep, "VmRole1_IN_0")).isEqualTo(READY_ROLE);
    }

    @Test
    void rebuildDiscardsOverlayAndLocalStorage() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain("WorkerRole1_IN_0");
        int disk = d.localDiskId;
        h.runtime.writeLocal(d.ref, "scratch");
        h.timeline.clear();

        h.controller.performOnRole(dep, Fixtures.WORKER, InstanceOperation.REBUILD);
        h.runtime.settle();

        assertThat(h.timeline.matching("boot ")).containsExactly(
                "boot WorkerRole1_IN_0 overlay=NEW local=NEW wipe=[] config=REBUILD");
        assertThat(d.localDiskId).isNotEqualTo(disk);
        assertThat(d.localData).isEmpty();
        assertThat(h.state(dep, "WorkerRole1_IN_0")).isEqualTo(READY_ROLE);
    }

    @Test
    void stopAndStartKeepEverythingAndMoveInAndOutOfRotation() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        FakeRuntime.Domain d = h.runtime.domain("WebRole1_IN_0");
        h.runtime.writeLocal(d.ref, "cache");
        h.timeline.clear();

        h.controller.perform(dep, InstanceOperation.STOP, List.of("WebRole1_IN_0"));
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(InstanceState.STOPPED_VM);
        assertThat(h.rotation.inRotation("WebRole1_IN_0")).isFalse();
        assertThatThrownBy(() -> h.controller.perform(dep, InstanceOperation.STOP, List.of("WebRole1_IN_0")))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("WebRole1_IN_0").hasMessageContaining("StoppedVM").hasMessageContaining("start");

        h.controller.perform(dep, InstanceOperation.START, List.of("WebRole1_IN_0"));
        h.runtime.settle();
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(READY_ROLE);
        assertThat(h.timeline.entries()).containsExactly("out WebRole1_IN_0", "shutdown WebRole1_IN_0 GRACEFUL",
                "boot WebRole1_IN_0 overlay=KEEP local=KEEP wipe=[] config=KEEP", "in WebRole1_IN_0");
        assertThat(d.localData).containsExactly("cache");
    }

    @Test
    void scaleOutAddsTheNextIdsOnNewOverlaysAndScaleInRemovesHighestIdsDrainedFirst() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);

        OperationRecord out = h.controller.scale(dep, Fixtures.WEB, 3);
        h.runtime.settle();
        assertThat(h.controller.operation(out.id()).orElseThrow())
                .extracting(OperationRecord::status, OperationRecord::completed, OperationRecord::total)
                .containsExactly(OperationRecord.Status.SUCCEEDED, 1, 1);
        assertThat(h.state(dep, "WebRole1_IN_2")).isEqualTo(READY_ROLE);
        assertThat(h.stateSequence(dep, "WebRole1_IN_2")).isEqualTo(FIRST_BOOT);
        assertThat(h.runtime.domain("WebRole1_IN_2").overlayGeneration).isEqualTo(1);
        assertThat(h.deployment("dep1").instances()).filteredOn(i -> i.ref().instanceId().equals("WebRole1_IN_2"))
                .extracting(InstanceSnapshot::updateDomain, InstanceSnapshot::faultDomain).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(2, 0));

        h.timeline.clear();
        OperationRecord in = h.controller.scale(dep, Fixtures.WEB, 1);
        assertThat(h.controller.operation(in.id()).orElseThrow().status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.deployment("dep1").instances()).extracting(i -> i.ref().instanceId())
                .containsExactly("WebRole1_IN_0", "WorkerRole1_IN_0");
        assertThat(h.deployment("dep1").roles()).filteredOn(r -> r.name().equals(Fixtures.WEB))
                .extracting(RoleRecord::instanceCount).containsExactly(1);
        List<String> t = h.timeline.entries();
        assertThat(t).containsSubsequence("out WebRole1_IN_2", "out WebRole1_IN_1");
        assertThat(t).containsSubsequence("out WebRole1_IN_2", "drain WebRole1_IN_2", "delete WebRole1_IN_2",
                "remove WebRole1_IN_2");
        assertThat(t).containsSubsequence("out WebRole1_IN_1", "drain WebRole1_IN_1", "delete WebRole1_IN_1",
                "remove WebRole1_IN_1");
        assertThat(t.indexOf("delete WebRole1_IN_2")).isLessThan(t.indexOf("delete WebRole1_IN_1"));
        assertThat(h.runtime.domains().keySet()).extracting(r -> r.instanceId())
                .containsExactlyInAnyOrder("WebRole1_IN_0", "WorkerRole1_IN_0");
        assertThat(h.rotation.inRotation("WebRole1_IN_0")).isTrue();

        h.controller.scale(dep, Fixtures.WEB, 2);
        h.runtime.settle();
        assertThat(h.state(dep, "WebRole1_IN_1")).isEqualTo(READY_ROLE);
    }

    @Test
    void suspendStopsEverythingOutOfRotationAndResumeBringsItBack() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        h.controller.suspend(dep);
        assertThat(h.deployment("dep1").status()).isEqualTo("Suspended");
        assertThat(h.deployment("dep1").instances()).extracting(InstanceSnapshot::state)
                .containsOnly(InstanceState.STOPPED_DEALLOCATED);
        assertThat(h.rotation.members()).isEmpty();

        h.controller.resume(dep);
        h.runtime.settle();
        assertThat(h.deployment("dep1").status()).isEqualTo("Running");
        assertThat(h.rotation.members()).hasSize(3);
    }

    @Test
    void deleteDeploymentRemovesEveryDomainAndTheDeployment() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        OperationRecord op = h.controller.deleteDeployment(dep);
        assertThat(h.controller.operation(op.id()).orElseThrow().status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.controller.deployments()).isEmpty();
        assertThat(h.runtime.domains()).isEmpty();
        assertThat(h.rotation.members()).isEmpty();
    }

    @Test
    void aSecondDeploymentInATakenSlotIsRefused() {
        Harness h = Harness.open(dir);
        h.deployTwoRoles(1, 1);
        assertThatThrownBy(() -> h.controller.createDeployment("dep2", Slot.PRODUCTION, Fixtures.definition(false),
                Fixtures.configuration(1, 1, 0))).hasMessageContaining("production slot of service 'svc' is taken");
        h.controller.createDeployment("dep2", Slot.STAGING, Fixtures.definition(false), Fixtures.configuration(1, 1, 0));
        h.runtime.settle();
        assertThat(h.deployment("dep2").status()).isEqualTo("Running");
    }

    @Test
    void aRoleOperationIsRefusedAsAWholeWhenOneInstanceCannotDoIt() {
        Harness h = Harness.open(dir);
        String dep = h.deployTwoRoles(2, 1);
        h.controller.perform(dep, InstanceOperation.STOP, List.of("WebRole1_IN_1"));
        int events = h.controller.events(dep).size();
        h.timeline.clear();

        assertThatThrownBy(() -> h.controller.performOnRole(dep, Fixtures.WEB, InstanceOperation.REBOOT))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("WebRole1_IN_1");
        assertThat(h.state(dep, "WebRole1_IN_0")).isEqualTo(READY_ROLE);
        assertThat(h.controller.events(dep)).hasSize(events);
        assertThat(h.timeline.entries()).isEmpty();
    }
}
