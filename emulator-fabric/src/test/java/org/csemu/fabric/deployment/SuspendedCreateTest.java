package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.lifecycle.InstanceState.READY_ROLE;
import static org.csemu.fabric.lifecycle.InstanceState.STOPPED_DEALLOCATED;

import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.deployment.fakes.Fixtures;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.recovery.Recovery;
import org.csemu.fabric.recovery.RecoveryReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Create Deployment with StartDeployment=false: the deployment exists Suspended, its instances are settled
 * StoppedDeallocated (what a suspend leaves) without a single runtime call or rotation change, and resume gives them
 * their first boot on fresh disks.
 */
class SuspendedCreateTest {
    private static final List<String> INSTANCES = List.of("WebRole1_IN_0", "WebRole1_IN_1", "WorkerRole1_IN_0");

    @TempDir
    Path dir;

    private static String createSuspended(Harness h) {
        OperationRecord op = h.controller.createDeployment("dep1", Slot.PRODUCTION, Fixtures.definition(false),
                Fixtures.configuration(2, 1, 0), false).operation();
        h.runtime.settle();
        assertThat(h.controller.operation(op.id()).orElseThrow().status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(op.kind()).isEqualTo("CreateDeployment");
        return h.deployment("dep1").id();
    }

    @Test
    void createdSuspendedInstancesAreStoppedDeallocatedWithNothingBootedOrInRotation() {
        Harness h = Harness.open(dir);
        String dep = createSuspended(h);

        DeploymentSnapshot view = h.deployment("dep1");
        assertThat(view.status()).isEqualTo("Suspended");
        assertThat(view.instances()).extracting(i -> i.ref().instanceId()).containsExactlyElementsOf(INSTANCES);
        assertThat(view.instances()).allSatisfy(i -> {
            assertThat(i.state()).isEqualTo(STOPPED_DEALLOCATED);
            assertThat(i.inRotation()).isFalse();
            assertThat(h.stateSequence(dep, i.ref().instanceId())).containsExactly("Preparing", "StoppedDeallocated");
        });
        assertThat(h.timeline.entries()).isEmpty();
        assertThat(h.controller.events(dep)).allMatch(e -> e.trigger() == Trigger.CREATE_SUSPENDED);
        assertThat(h.controller.model().deployment(dep).orElseThrow().instances())
                .allMatch(i -> i.desired() == DesiredPower.DEALLOCATED && i.intent() == null);
    }

    @Test
    void resumeGivesEveryInstanceItsFirstBootAndPutsItInRotation() {
        Harness h = Harness.open(dir);
        String dep = createSuspended(h);

        OperationRecord resume = h.controller.resume(dep);
        h.runtime.settle();

        assertThat(h.controller.operation(resume.id()).orElseThrow().status())
                .isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.deployment("dep1").status()).isEqualTo("Running");
        for (String id : INSTANCES) {
            assertThat(h.state(dep, id)).isEqualTo(READY_ROLE);
            assertThat(h.rotation.inRotation(id)).isTrue();
            // no disk existed: the first start creates them, and the guest runs its first-boot setup
            assertThat(h.stateSequence(dep, id)).containsExactly("Preparing", "StoppedDeallocated", "StartingVM",
                    "CreatingRole", "StartingRole", "ReadyRole");
            assertThat(h.runtime.domain(id).boots).isEqualTo(1);
        }
        assertThat(h.runtime.domain("WebRole1_IN_0").overlayGeneration).isEqualTo(1);
    }

    @Test
    void scalingOutASuspendedDeploymentAddsSuspendedInstancesThatResumeStarts() {
        Harness h = Harness.open(dir);
        String dep = createSuspended(h);

        OperationRecord out = h.controller.scale(dep, Fixtures.WEB, 3);
        h.runtime.settle();
        assertThat(h.controller.operation(out.id()).orElseThrow().status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(h.state(dep, "WebRole1_IN_2")).isEqualTo(STOPPED_DEALLOCATED);
        assertThat(h.deployment("dep1").status()).isEqualTo("Suspended");
        assertThat(h.timeline.entries()).isEmpty();

        h.controller.resume(dep);
        h.runtime.settle();
        assertThat(h.state(dep, "WebRole1_IN_2")).isEqualTo(READY_ROLE);
        assertThat(h.rotation.inRotation("WebRole1_IN_2")).isTrue();
    }

    @Test
    void aDaemonRestartLeavesASuspendedDeploymentAloneAndItCanBeDeletedWithoutEverBooting() {
        Harness before = Harness.open(dir);
        String dep = createSuspended(before);

        Harness after = before.restart();
        RecoveryReport report = new Recovery(after.controller, after.runtime).run();
        assertThat(report.errors()).isEmpty();
        assertThat(after.deployment("dep1").status()).isEqualTo("Suspended");
        for (String id : INSTANCES) {
            assertThat(after.state(dep, id)).isEqualTo(STOPPED_DEALLOCATED);
        }
        assertThat(after.timeline.matching("boot ")).isEmpty();

        OperationRecord delete = after.controller.deleteDeployment(dep);
        after.runtime.settle();
        assertThat(after.controller.operation(delete.id()).orElseThrow().status())
                .isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(after.controller.deployments()).isEmpty();
        assertThat(after.timeline.matching("boot ")).isEmpty();
    }
}
