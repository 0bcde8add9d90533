package org.csemu.fabric.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.lifecycle.InstanceState.READY_ROLE;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.InstanceSnapshot;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.persist.CorruptStateException;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill simulations: the daemon dies (mid-operation or not), a new controller is built from the same data directory
 * and the surviving fake substrate, and recovery must end where the uninterrupted run would have.
 */
class RecoveryTest {
    @TempDir
    Path dir;
    @TempDir
    Path referenceDir;

    private static RecoveryReport recover(Harness h) {
        RecoveryReport report = new Recovery(h.controller, h.runtime).run();
        h.runtime.settle();
        return report;
    }

    @Test
    void runningDomainsAreAdoptedWithoutARestartAndRotationIsRebuiltFromFreshStatus() {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.timeline.clear();

        Harness after = before.restart();
        RecoveryReport report = new Recovery(after.controller, after.runtime).run();

        assertThat(report.adopted()).extracting(InstanceRef::instanceId)
                .containsExactlyInAnyOrder("WebRole1_IN_0", "WebRole1_IN_1", "WorkerRole1_IN_0");
        assertThat(report.restarted()).isEmpty();
        assertThat(report.recreated()).isEmpty();
        assertThat(report.orphansDeleted()).isEmpty();
        // nothing in rotation until the agent speaks again
        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state)
                .containsOnly(InstanceState.ROLE_STATE_UNKNOWN);
        assertThat(after.rotation.members()).isEmpty();

        after.runtime.settle();
        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state).containsOnly(READY_ROLE);
        assertThat(after.rotation.members()).hasSize(3);
        assertThat(after.timeline.matching("boot ")).isEmpty();
        assertThat(after.timeline.matching("shutdown ")).isEmpty();
        assertThat(after.timeline.matching("reconnect ")).hasSize(3);
        assertThat(after.stateSequence(dep, "WebRole1_IN_0")).endsWith("ReadyRole", "RoleStateUnknown", "ReadyRole");
    }

    /**
     * Replays VipFaultsVmTest's failure: the adopting daemon made every instance Unknown and took each out of the
     * surviving VIP's rotation until its agent spoke again, so for a few milliseconds no backend was in rotation and
     * the VIP failed new connections while all instances were serving.
     */
    @Test
    void aDaemonRestartDoesNotEmptyTheRotationOfAVipThatOutlivedIt() {
        Harness before = Harness.open(dir);
        before.deployTwoRoles(2, 1);
        assertThat(before.rotation.members()).hasSize(3);
        before.timeline.clear();

        Harness after = before.restartKeepingTheVip();
        new Recovery(after.controller, after.runtime).run();

        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state)
                .containsOnly(InstanceState.ROLE_STATE_UNKNOWN);
        assertThat(after.rotation.members()).as("kept while Unknown").hasSize(3);
        assertThat(after.timeline.matching("out ")).isEmpty();
        after.runtime.settle();
        assertThat(after.rotation.members()).hasSize(3);
        assertThat(after.timeline.matching("out ")).isEmpty();
    }

    @Test
    void anInstanceFoundDeadAfterADaemonRestartLeavesTheRotationItWasKeptIn() {
        Harness before = Harness.open(dir);
        before.deployTwoRoles(1, 0);
        before.runtime.domain("WebRole1_IN_0").power = DomainInfo.Power.SHUT_OFF; // while no daemon ran
        before.timeline.clear();

        Harness after = before.restartKeepingTheVip();
        new Recovery(after.controller, after.runtime).run();

        assertThat(after.timeline.matching("out WebRole1_IN_0")).hasSize(1);
        after.runtime.settle();
        assertThat(after.rotation.members()).extracting(InstanceRef::instanceId).containsExactly("WebRole1_IN_0");
    }

    @Test
    void aReimageKilledAfterTheOverlayWasDeletedIsFinishedAndEndsWhereAnUninterruptedOneWould() {
        // reference: the same steps, never killed
        Harness reference = Harness.open(referenceDir);
        String refDep = reference.deployTwoRoles(2, 1);
        reference.controller.perform(refDep, InstanceOperation.REIMAGE, List.of("WebRole1_IN_1"));
        reference.runtime.settle();

        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.runtime.killAt("boot WebRole1_IN_1 overlay=NEW local=KEEP wipe=[cache] config=REBUILD", d -> {
            d.overlayId = 0; // old overlay deleted, new one not created yet
            d.power = DomainInfo.Power.SHUT_OFF;
        });
        OperationRecord op = before.controller.perform(dep, InstanceOperation.REIMAGE, List.of("WebRole1_IN_1"));
        assertThat(before.state(dep, "WebRole1_IN_1")).isEqualTo(InstanceState.CREATING_VM);

        Harness after = before.restart();
        assertThat(after.controller.operation(op.id()).orElseThrow().status())
                .isEqualTo(OperationRecord.Status.IN_PROGRESS);
        RecoveryReport report = recover(after);

        // the operation that was cut is completed by recovery
        assertThat(after.controller.operation(op.id()).orElseThrow())
                .extracting(OperationRecord::status, OperationRecord::completed, OperationRecord::total)
                .containsExactly(OperationRecord.Status.SUCCEEDED, 1, 1);
        assertThat(report.finished()).containsExactly("WebRole1_IN_1: reimage (boot:REIMAGE)");
        assertThat(report.adopted()).extracting(InstanceRef::instanceId)
                .containsExactlyInAnyOrder("WebRole1_IN_0", "WorkerRole1_IN_0");
        assertThat(after.rotation.members()).hasSize(3);
        assertSameOutcome(reference, refDep, after, dep);
        assertThat(after.stateSequence(dep, "WebRole1_IN_1")).endsWith("CreatingVM", "RoleStateUnknown",
                "CreatingVM", "StartingVM", "CreatingRole", "StartingRole", "ReadyRole");
    }

    @Test
    void aScaleInKilledBeforeTheDeleteIsFinished() {
        Harness reference = Harness.open(referenceDir);
        String refDep = reference.deployTwoRoles(2, 1);
        reference.controller.scale(refDep, Fixtures.WEB, 1);

        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.runtime.killAt("delete WebRole1_IN_1", d -> { });
        before.controller.scale(dep, Fixtures.WEB, 1);
        assertThat(before.state(dep, "WebRole1_IN_1")).isEqualTo(InstanceState.DELETING_VM);

        Harness after = before.restart();
        RecoveryReport report = recover(after);

        assertThat(report.finished()).containsExactly("WebRole1_IN_1: scale_in (delete)");
        assertThat(after.runtime.domain("WebRole1_IN_1")).isNull();
        assertThat(after.timeline.entries()).containsSubsequence("drain WebRole1_IN_1", "delete WebRole1_IN_1",
                "remove WebRole1_IN_1");
        assertSameOutcome(reference, refDep, after, dep);
    }

    @Test
    void aScaleOutKilledWhileCreatingTheInstanceCreatesIt() {
        Harness reference = Harness.open(referenceDir);
        String refDep = reference.deployTwoRoles(2, 1);
        reference.controller.scale(refDep, Fixtures.WEB, 3);
        reference.runtime.settle();

        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.runtime.killAt("boot WebRole1_IN_2 overlay=NEW local=NEW wipe=[] config=REBUILD",
                d -> d.power = DomainInfo.Power.DISKS_ONLY);
        before.controller.scale(dep, Fixtures.WEB, 3);

        Harness after = before.restart();
        RecoveryReport report = recover(after);

        assertThat(report.finished()).containsExactly("WebRole1_IN_2: create (boot:CREATE)");
        assertThat(after.state(dep, "WebRole1_IN_2")).isEqualTo(READY_ROLE);
        assertSameOutcome(reference, refDep, after, dep);
    }

    @Test
    void aDeploymentDeleteKilledHalfWayIsFinished() {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.runtime.killAt("delete WebRole1_IN_1", d -> { });
        before.controller.deleteDeployment(dep);
        // the kill leaves WebRole1_IN_1 DeletingVM and the deployment record behind
        assertThat(before.controller.model().deployment(dep)).isPresent();

        Harness after = before.restart();
        recover(after);

        assertThat(after.controller.deployments()).isEmpty();
        assertThat(after.runtime.domains()).isEmpty();
        assertThat(after.rotation.members()).isEmpty();
    }

    @Test
    void orphansOfThisFabricAreDeletedAndOtherFabricsDomainsAreLeftAlone() {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        InstanceRef orphan = new InstanceRef(dep, Fixtures.WEB, "WebRole1_IN_7");
        InstanceRef goneDeployment = new InstanceRef("ffffffffffffffffffffffffffffffff", Fixtures.WEB,
                "WebRole1_IN_0");
        InstanceRef foreign = new InstanceRef("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", Fixtures.WEB, "WebRole1_IN_0");
        before.runtime.plant(orphan, DomainInfo.Power.RUNNING);
        before.runtime.plant(goneDeployment, DomainInfo.Power.DISKS_ONLY);
        before.runtime.plant(foreign, DomainInfo.Power.RUNNING).fabricId = "another-data-dir";

        Harness after = before.restart();
        RecoveryReport report = recover(after);

        assertThat(report.orphansDeleted()).containsExactlyInAnyOrder(orphan, goneDeployment);
        assertThat(report.foreignIgnored()).containsExactly(foreign);
        assertThat(after.runtime.domains().keySet()).contains(foreign).doesNotContain(orphan, goneDeployment);
        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state).containsOnly(READY_ROLE);
    }

    @Test
    void aLostDomainIsRecreatedOnNewHardwareAndAShutOffOneIsRestarted() {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.runtime.failHost(before.ref(dep, "WebRole1_IN_0"));
        before.runtime.domain("WebRole1_IN_1").power = DomainInfo.Power.SHUT_OFF;
        before.timeline.clear();

        Harness after = before.restart();
        RecoveryReport report = recover(after);

        assertThat(report.recreated()).extracting(InstanceRef::instanceId).containsExactly("WebRole1_IN_0");
        assertThat(report.restarted()).extracting(InstanceRef::instanceId).containsExactly("WebRole1_IN_1");
        assertThat(after.timeline.matching("boot ")).containsExactlyInAnyOrder(
                "boot WebRole1_IN_0 overlay=NEW local=NEW wipe=[] config=REBUILD",
                "boot WebRole1_IN_1 overlay=KEEP local=KEEP wipe=[] config=KEEP");
        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state).containsOnly(READY_ROLE);
        assertThat(after.rotation.members()).hasSize(3);
    }

    @Test
    void stoppedAndSuspendedInstancesStayStopped() {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        before.controller.perform(dep, InstanceOperation.STOP, List.of("WebRole1_IN_0"));
        before.timeline.clear();

        Harness after = before.restart();
        RecoveryReport report = recover(after);

        assertThat(report.stopped()).extracting(InstanceRef::instanceId).containsExactly("WebRole1_IN_0");
        assertThat(after.state(dep, "WebRole1_IN_0")).isEqualTo(InstanceState.STOPPED_VM);
        assertThat(after.timeline.matching("boot ")).isEmpty();
        assertThat(after.rotation.inRotation("WebRole1_IN_0")).isFalse();
    }

    @Test
    void aCorruptDesiredStateStopsTheControllerAndIsKeptAside() throws IOException {
        Harness before = Harness.open(dir);
        before.deployTwoRoles(1, 1);
        Path desired = dir.resolve("desired.json");
        Files.writeString(desired, "{\"version\":1,\"fabricId\":\"x\",\"deployments\":[{\"id\":");

        assertThatThrownBy(before::restart).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("desired.json");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("desired.json.corrupt-"));
        }
        assertThat(Files.readString(desired)).startsWith("{\"version\":1");
    }

    @Test
    void anEmptyDesiredStateStopsTheControllerToo() throws IOException {
        Harness before = Harness.open(dir);
        before.deployTwoRoles(1, 1);
        Files.write(dir.resolve("desired.json"), new byte[0]);
        assertThatThrownBy(before::restart).isInstanceOf(CorruptStateException.class)
                .hasMessageContaining("the file is empty");
    }

    @Test
    void aMissingObservedStateMakesInstancesUnknownAndRecoverySettlesThem() throws IOException {
        Harness before = Harness.open(dir);
        before.deployTwoRoles(2, 1);
        Files.delete(dir.resolve("observed.json"));
        Harness after = before.restart();
        recover(after);
        assertThat(after.deployment("dep1").instances()).extracting(InstanceSnapshot::state).containsOnly(READY_ROLE);
    }

    @Test
    void aTornEventLogLineIsDroppedAndLoggingContinues() throws IOException {
        Harness before = Harness.open(dir);
        String dep = before.deployTwoRoles(2, 1);
        int events = before.controller.events(dep).size();
        Files.writeString(before.controller.model().eventLog().file(dep), "{\"timestamp\":\"2026-",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Harness after = before.restart();
        recover(after);

        List<LifecycleEvent> all = after.controller.events(dep);
        assertThat(all.size()).isGreaterThan(events);
        assertThat(all.subList(0, events)).isEqualTo(before.controller.events(dep).subList(0, events));
        assertThat(after.controller.model().eventLog().read(dep).droppedLines()).isZero();
    }

    /** Desired instances, domains on the substrate and each instance's final state match the reference run. */
    private static void assertSameOutcome(Harness reference, String refDep, Harness actual, String dep) {
        assertThat(instances(actual, dep)).isEqualTo(instances(reference, refDep));
        assertThat(domains(actual)).isEqualTo(domains(reference));
        assertThat(lastStates(actual, dep)).isEqualTo(lastStates(reference, refDep));
        DeploymentSnapshot view = actual.controller.view(dep).orElseThrow();
        assertThat(view.status()).isEqualTo("Running");
        assertThat(actual.rotation.members()).extracting(InstanceRef::instanceId)
                .containsExactlyInAnyOrderElementsOf(reference.rotation.members().stream()
                        .map(InstanceRef::instanceId).toList());
    }

    private static List<InstanceRecord> instances(Harness h, String dep) {
        return h.controller.model().requireDeployment(dep).instances();
    }

    private static Map<String, String> domains(Harness h) {
        Map<String, String> out = new TreeMap<>();
        for (FakeRuntime.Domain d : h.runtime.domains().values()) {
            out.put(d.ref.instanceId(), "gen=" + d.overlayGeneration + " power=" + d.power + " data="
                    + new java.util.TreeSet<>(d.localData) + " config=" + d.configDriveVersion);
        }
        return out;
    }

    private static Map<String, String> lastStates(Harness h, String dep) {
        Map<String, String> out = new LinkedHashMap<>();
        for (LifecycleEvent e : h.controller.events(dep)) {
            out.put(e.instanceId(), e.to());
        }
        out.values().removeIf(v -> v.equals("(removed)"));
        return new TreeMap<>(out);
    }
}
