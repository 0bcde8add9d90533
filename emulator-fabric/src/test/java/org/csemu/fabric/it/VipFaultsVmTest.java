package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.testing.VmTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.runtime.VipProcess;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.lb.BackendStats;
import org.csemu.lb.remote.RemoteLoadBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The VIP keeps serving through faults, on one 3-instance deployment (booted once) behind the VIP in its own process,
 * under a bounded load of new connections (3 clients, one GET per connection, paced): {@code kill -9} of one QEMU,
 * then a guest kernel panic of another: no failed request beyond those in flight on the dead instance (counted from
 * the LB's {@code active} at the kill); then a fabric in a child JVM is killed with SIGKILL: zero failed requests while
 * no fabric runs and after the next one adopts the LB process, and a reimage after that works.
 */
@VmTest
class VipFaultsVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void theVipServesThroughAKilledQemuAGuestCrashAndAKilledFabric() throws Exception {
        Path service = Path.of(VipFaultsVmTest.class.getResource("/services/disk-probe").toURI());
        Path cscfg = ENV.dataDir().resolve("three-probes.cscfg");
        Files.writeString(cscfg, Files.readString(service.resolve("ServiceConfiguration.cscfg"))
                .replace("<Instances count=\"1\" />", "<Instances count=\"3\" />"));
        Path socket = ENV.dataDir().resolve("lb.sock");
        Fabric first = Fabric.start(ENV.config().withVipProcess(true), ENV.hypervisor());
        try {
            String id = first.createDeployment("recovery", Slot.PRODUCTION, service, cscfg).deploymentId();
            FabricChecks.awaitAllReady(first, id, BOOT);
            int vip = first.endpoints(id).get(0).boundPort();
            long lbPid = RemoteLoadBalancer.connect(socket).pid();

            // 1. kill -9 of Probe_IN_1's QEMU
            faultUnderLoad(first, id, vip, "Probe_IN_1", "kill -9 of QEMU", () -> {
                long qemu = ENV.hypervisor().qemuPid(DomainNames.of(id, "Probe_IN_1")).orElseThrow();
                ProcessHandle.of(qemu).orElseThrow().destroyForcibly(); // SIGKILL
            });
            FabricChecks.awaitAllReady(first, id, BOOT);
            // 2. a real guest kernel panic on Probe_IN_2
            faultUnderLoad(first, id, vip, "Probe_IN_2", "guest-crash",
                    () -> first.injectFault(id, "Probe_IN_2", InjectedFault.GUEST_CRASH));
            FabricChecks.awaitAllReady(first, id, BOOT);

            // 3. hand the VIP to a fabric in a child JVM, SIGKILL it under load, then a new fabric adopts
            VipProcess.keepOnNextExit(ENV.dataDir());
            first.close();
            assertThat(RemoteLoadBalancer.connect(socket).pid()).as("the LB process kept").isEqualTo(lbPid);
            ChildFabric child = ChildFabric.start(ENV, List.of("-Dcsemu.fabric.vipProcess=true"), List.of());
            try (VipLoad load = new VipLoad(vip, "/state.txt")) {
                assertThat(child.await("RECOVERY")).contains("adopted=3");
                child.await("READY");
                load.awaitAnswered(50);
                child.kill();
                long whileDown = load.answered();
                load.awaitAnswered(whileDown + 150); // no fabric at all meanwhile
                System.out.println("VIP with no fabric running: " + (load.answered() - whileDown) + " answered");
                Fabric next = Fabric.start(ENV.config().withVipProcess(true), ENV.hypervisor());
                try {
                    assertThat(next.recoveryReport().adopted()).hasSize(3);
                    FabricChecks.awaitAllReady(next, id, BOOT);
                    assertThat(RemoteLoadBalancer.connect(socket).pid()).as("adopted, not restarted")
                            .isEqualTo(lbPid);
                    long adopted = load.answered();
                    load.awaitAnswered(adopted + 100);
                    OperationRecord op = next.perform(id, InstanceOperation.REIMAGE, List.of("Probe_IN_0"));
                    Poller.standard().until("reimage " + op.id(), Deadline.after(BOOT), () -> next.operation(op.id())
                            .filter(o -> o.status() != OperationRecord.Status.IN_PROGRESS).isPresent());
                    assertThat(next.operation(op.id()).orElseThrow().status())
                            .isEqualTo(OperationRecord.Status.SUCCEEDED);
                    FabricChecks.awaitAllReady(next, id, BOOT);
                    load.awaitAnswered(load.answered() + 50);
                    load.close();
                    System.out.println("fabric SIGKILL + adoption + reimage: " + load.answered() + " answered, "
                            + load.failures().size() + " failed " + load.failures());
                    assertThat(load.failures()).as("failed requests across the kill, the adoption and the reimage")
                            .isEmpty();
                } finally {
                    next.close(); // no marker: stops the LB process, as `daemon stop` does
                }
            } finally {
                child.kill();
            }
            Poller.standard().until("the LB process stopped", Deadline.after(Duration.ofSeconds(30)),
                    () -> !RemoteLoadBalancer.answers(socket));
        } finally {
            first.close();
            if (RemoteLoadBalancer.answers(socket)) {
                RemoteLoadBalancer.connect(socket).shutdown();
            }
        }
    }

    private interface Fault {
        void inject() throws Exception;
    }

    /** Load, the fault, load until the instance left rotation and 150 more answers; at most its in-flight failed. */
    private static void faultUnderLoad(Fabric fabric, String id, int vip, String instance, String what, Fault fault)
            throws Exception {
        InstanceRef ref = new InstanceRef(id, "Probe", instance);
        try (VipLoad load = new VipLoad(vip, "/state.txt")) {
            load.awaitAnswered(60);
            BackendStats before = fabric.rotation().backendStats(ref).get("Http");
            fault.inject();
            Poller.standard().until(instance + " out of rotation", Deadline.after(BOOT),
                    () -> !fabric.rotation().isEligible(ref));
            load.awaitAnswered(load.answered() + 150);
            load.close();
            BackendStats after = fabric.rotation().backendStats(ref).get("Http");
            System.out.println(what + " of " + instance + ": " + load.answered() + " answered, "
                    + load.failures().size() + " failed " + load.failures() + "; in flight on it at the fault "
                    + before.active() + "; on it: redispatched " + (after.redispatched() - before.redispatched())
                    + ", connect failures " + (after.connectFailures() - before.connectFailures()) + ", ejections "
                    + (after.ejections() - before.ejections()));
            assertThat((long) load.failures().size()).as("failed requests beyond those in flight on " + instance)
                    .isLessThanOrEqualTo(before.active());
        }
    }

}
