package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.disk.QemuImg;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.readiness.ProbeUp;
import org.csemu.fabric.readiness.Ready.Status;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.util.ProcessRunner;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reboot, reimage and rebuild of one real instance, each with its exact disk semantics checked from the host after
 * the operation: the guest counts its boots on the OS disk (the overlay) and in local storage
 * ({@code cleanOnRoleRecycle="false"}), and the host reads both counters back out of the disk files (qemu-img +
 * debugfs), compares the overlay's and local disk's file identity, and sees the instance leave rotation before the
 * operation and come back when Ready.
 *
 * <p>The deployment is created suspended (StartDeployment=false) and resumed, which is its first boot: while
 * suspended no domain runs, nothing is in rotation and the VIP listener is bound. Between reboot and reimage a real
 * guest kernel panic (the guest-crash fault) is healed like a crash: out of rotation at once, the panic on the
 * console, restarted on the same overlay.
 */
@VmTest
class DiskSemanticsVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void rebootKeepsBothDisksGuestCrashKeepsBothReimageReplacesTheOverlayOnlyRebuildReplacesBoth() throws Exception {
        Fabric fabric = ENV.start();
        List<RotationChange> changes = Collections.synchronizedList(new ArrayList<>());
        fabric.subscribeRotation(changes::add);
        Path service = Path.of(DiskSemanticsVmTest.class.getResource("/services/disk-probe").toURI());
        Fabric.DeploymentCreation created = fabric.createDeployment("disk-probe", Slot.PRODUCTION, service, null,
                false);
        String id = created.deploymentId();
        VipEndpoint http = created.endpoints().get(0);
        InstanceRef ref = new InstanceRef(id, "Probe", "Probe_IN_0");
        InstancePaths paths = fabric.runtime().paths(ref);

        // created suspended: the deployment and its VIP listener exist, no domain runs, nothing is in rotation
        assertThat(fabric.await(created.operation().id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        DeploymentSnapshot suspended = fabric.deployment(id).orElseThrow();
        assertThat(suspended.status()).isEqualTo("Suspended");
        assertThat(suspended.instances()).extracting(i -> i.state()).containsExactly(InstanceState.STOPPED_DEALLOCATED);
        assertThat(http.boundPort()).isPositive();
        assertThat(fabric.rotation().endpointListeners(id)).isNotEmpty();
        assertThat(fabric.hypervisor().listCsemuDomains()).noneMatch(d -> d.metadata().deploymentId().equals(id)
                && d.state().isActive());
        assertThat(fabric.rotation().handles(ref)).noneMatch(b -> b.inRotation());
        assertThat(changes).isEmpty();

        // resume: the first boot; Ready and in rotation
        OperationRecord resume = fabric.resume(id);
        assertThat(fabric.await(resume.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        FabricChecks.awaitAllReady(fabric, id, BOOT);
        assertThat(fabric.deployment(id).orElseThrow().status()).isEqualTo("Running");
        assertThat(FabricChecks.states(fabric, id, "Probe_IN_0", 0)).as(FabricChecks.describe(fabric, id))
                .startsWith("StoppedDeallocated", "StartingVM", "CreatingRole");

        assertThat(state(http)).isEqualTo("os=1 local=1");
        Object overlay0 = fileKey(paths.osDisk());
        Object local0 = fileKey(paths.localDisk());
        assertThat(hostReadOverlay(paths, "/var/lib/csemu-probe/os-boots")).isEqualTo("1");
        assertThat(hostReadLocal(paths, "/Keep/boots")).isEqualTo("1");
        long generation0 = overlayGeneration(fabric, id);

        // reboot: overlay and local storage kept
        int events = fabric.events(id).size();
        operate(fabric, id, InstanceOperation.REBOOT, ref, changes);
        assertThat(state(http)).isEqualTo("os=2 local=2");
        assertThat(fileKey(paths.osDisk())).isEqualTo(overlay0);
        assertThat(fileKey(paths.localDisk())).isEqualTo(local0);
        assertThat(hostReadOverlay(paths, "/var/lib/csemu-probe/os-boots")).isEqualTo("2");
        assertThat(hostReadLocal(paths, "/Keep/boots")).isEqualTo("2");
        assertThat(FabricChecks.states(fabric, id, "Probe_IN_0", events)).as(FabricChecks.describe(fabric, id))
                .containsExactly("StoppingRole", "StartingVM", "StartingRole", "ReadyRole");

        // guest crash: a real kernel panic; out of rotation at once, restarted on the same overlay and local storage
        events = fabric.events(id).size();
        changes.clear();
        OperationRecord crash = fabric.injectFault(id, ref.instanceId(), InjectedFault.GUEST_CRASH);
        assertThat(fabric.await(crash.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        Poller.standard().until("the panic on the console", Deadline.after(Duration.ofSeconds(60)),
                () -> console(paths).contains("Kernel panic - not syncing: sysrq triggered crash"));
        int before = events;
        Poller.standard().until("the crash seen by the fabric", Deadline.after(Duration.ofSeconds(60)),
                () -> FabricChecks.states(fabric, id, "Probe_IN_0", before).contains("RestartingRole"));
        FabricChecks.awaitState(fabric, id, ref.instanceId(), InstanceState.READY_ROLE, BOOT);
        List<String> afterCrash = FabricChecks.states(fabric, id, "Probe_IN_0", events);
        assertThat(afterCrash).as(FabricChecks.describe(fabric, id))
                .containsSubsequence("RestartingRole", "StartingVM", "StartingRole", "ReadyRole");
        assertThat(fabric.events(id).subList(events, fabric.events(id).size()))
                .anyMatch(e -> e.trigger() == Trigger.CRASHED && e.cause().contains("panicked"));
        assertThat(changes).extracting(RotationChange::inRotation).containsExactly(false, true);
        assertThat(state(http)).isEqualTo("os=3 local=3");
        assertThat(fileKey(paths.osDisk())).isEqualTo(overlay0);
        assertThat(fileKey(paths.localDisk())).isEqualTo(local0);
        assertThat(overlayGeneration(fabric, id)).isEqualTo(generation0);

        // reimage: new overlay from the base (first-boot setup again), local storage kept
        events = fabric.events(id).size();
        operate(fabric, id, InstanceOperation.REIMAGE, ref, changes);
        assertThat(state(http)).isEqualTo("os=1 local=4");
        assertThat(fileKey(paths.osDisk())).isNotEqualTo(overlay0);
        assertThat(fileKey(paths.localDisk())).isEqualTo(local0);
        assertThat(hostReadOverlay(paths, "/var/lib/csemu-probe/os-boots")).isEqualTo("1");
        assertThat(hostReadLocal(paths, "/Keep/boots")).isEqualTo("4");
        assertThat(FabricChecks.states(fabric, id, "Probe_IN_0", events)).as(FabricChecks.describe(fabric, id))
                .containsExactly("CreatingVM", "StartingVM", "CreatingRole", "CreatingRole", "StartingRole", "ReadyRole");
        assertThat(overlayGeneration(fabric, id)).isEqualTo(generation0 + 1);
        Object overlay1 = fileKey(paths.osDisk());

        // rebuild: new overlay and new (empty) local storage
        events = fabric.events(id).size();
        operate(fabric, id, InstanceOperation.REBUILD, ref, changes);
        assertThat(state(http)).isEqualTo("os=1 local=1");
        assertThat(fileKey(paths.osDisk())).isNotEqualTo(overlay1).isNotEqualTo(overlay0);
        assertThat(fileKey(paths.localDisk())).isNotEqualTo(local0);
        assertThat(hostReadOverlay(paths, "/var/lib/csemu-probe/os-boots")).isEqualTo("1");
        assertThat(hostReadLocal(paths, "/Keep/boots")).isEqualTo("1");
        assertThat(FabricChecks.states(fabric, id, "Probe_IN_0", events)).first().isEqualTo("CreatingVM");
        assertThat(overlayGeneration(fabric, id)).isEqualTo(generation0 + 2);
    }

    /** Run an operation; the instance leaves rotation before it starts and is back, Ready, when it is done. */
    private static void operate(Fabric fabric, String id, InstanceOperation operation, InstanceRef ref,
                                List<RotationChange> changes) throws Exception {
        assertThat(fabric.rotation().handles(ref)).allSatisfy(b -> assertThat(b.eligible()).isTrue());
        changes.clear();
        OperationRecord op = fabric.perform(id, operation, List.of(ref.instanceId()));
        // the first transition (and the rotation change) is applied before perform returns
        assertThat(changes).extracting(RotationChange::inRotation).containsExactly(false);
        assertThat(fabric.rotation().handles(ref)).allSatisfy(b -> assertThat(b.inRotation()).isFalse());
        assertThat(fabric.await(op.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        FabricChecks.awaitState(fabric, id, ref.instanceId(), InstanceState.READY_ROLE, BOOT);
        assertThat(changes).extracting(RotationChange::inRotation).containsExactly(false, true);
        Status back = ProbeUp.of(() -> fabric.rotation().handles(ref)).await(Deadline.after(Duration.ofSeconds(10)),
                Poller.standard());
        assertThat(back.isReady()).as("back in the LB rotation: %s", back.detail()).isTrue();
    }

    private static String state(VipEndpoint http) throws Exception {
        return FabricChecks.get("127.0.0.1", http.boundPort(), "/state.txt").trim();
    }

    private static String console(InstancePaths paths) {
        try {
            return Files.readString(paths.consoleLog(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static Object fileKey(Path p) throws Exception {
        return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    }

    private static long overlayGeneration(Fabric fabric, String id) throws Exception {
        for (CsemuDomain d : fabric.hypervisor().listCsemuDomains()) {
            if (d.metadata().deploymentId().equals(id)) {
                return d.metadata().overlayGeneration();
            }
        }
        throw new AssertionError("no domain of " + id);
    }

    /**
     * A file of the guest's OS disk, read on the host while the guest runs: the overlay (through its base) is
     * converted to a raw copy, the copy's ext4 journal replayed (the guest's latest commits may be in the journal
     * only), then the file read with debugfs.
     */
    private static String hostReadOverlay(InstancePaths paths, String file) throws Exception {
        Path raw = Files.createTempFile(paths.dir().getParent(), "inspect-", ".raw");
        try {
            QemuImg.convertToRaw(paths.osDisk(), raw);
            return replayAndCat(raw, file);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** The same for the local-storage disk (a raw ext4 file): a copy, never the disk the guest has mounted. */
    private static String hostReadLocal(InstancePaths paths, String file) throws Exception {
        Path copy = Files.createTempFile(paths.dir().getParent(), "inspect-", ".img");
        try {
            Files.copy(paths.localDisk(), copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return replayAndCat(copy, file);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static String replayAndCat(Path image, String file) throws Exception {
        ProcessRunner.Result fsck = ProcessRunner.run(Duration.ofSeconds(60), "e2fsck", "-fy", image.toString());
        assertThat(fsck.exitCode()).as("e2fsck of a copy: " + fsck.stdout() + fsck.stderr()).isLessThan(4);
        return debugfsCat(image, file);
    }

    private static String debugfsCat(Path image, String file) throws Exception {
        ProcessRunner.Result r = ProcessRunner.run(Duration.ofSeconds(60), "debugfs", "-c", "-R", "cat " + file,
                image.toString());
        if (!r.ok() || r.stderr().contains("not found")) {
            return null;
        }
        return r.stdout().trim();
    }
}
