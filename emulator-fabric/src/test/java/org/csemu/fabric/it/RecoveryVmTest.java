package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.recovery.RecoveryReport;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fabric in a child JVM is killed with SIGKILL while its instances run, and once more right after a reimage request
 * was persisted; the next fabric on the same data directory adopts the running guests (same QEMU processes), finishes
 * the half-done reimage, and the deployment ends as it would have without the kills: the same domains, one overlay
 * and local disk per instance, the reimaged instance on a fresh overlay with its local storage kept.
 */
@VmTest
class RecoveryVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void adoptsRunningGuestsAfterSigkillAndFinishesAnInterruptedReimage() throws Exception {
        Path service = Path.of(RecoveryVmTest.class.getResource("/services/disk-probe").toURI());
        Path cscfg = ENV.dataDir().resolve("two-probes.cscfg");
        Files.writeString(cscfg, Files.readString(service.resolve("ServiceConfiguration.cscfg"))
                .replace("<Instances count=\"1\" />", "<Instances count=\"2\" />"));

        // 1. a child fabric deploys two instances and is killed while they run
        ChildFabric first = ChildFabric.start(ENV, List.of(), List.of(service.toString(), cscfg.toString()));
        String id;
        try {
            assertThat(first.await("RECOVERY")).contains("adopted=0");
            id = first.await("READY").split(" ")[1];
        } finally {
            first.kill();
        }
        Map<String, Long> pids = qemuPids(id);
        assertThat(pids).hasSize(2);

        // 2. a second child adopts both (no restart: same QEMU processes), is asked to reimage IN_0 and killed at once
        ChildFabric second = ChildFabric.start(ENV, List.of(), List.of());
        try {
            assertThat(second.await("RECOVERY")).contains("adopted=2").contains("restarted=0").contains("recreated=0");
            assertThat(second.await("READY")).isEqualTo("READY " + id);
            assertThat(qemuPids(id)).isEqualTo(pids);
            second.send("reimage Probe_IN_0");
            second.await("REIMAGE-REQUESTED");
        } finally {
            second.kill();
        }

        // 3. a fabric in this JVM finishes the reimage and adopts IN_1
        Fabric fabric = ENV.start();
        RecoveryReport report = fabric.recoveryReport();
        assertThat(report.errors()).isEmpty();
        assertThat(report.finished()).anySatisfy(f -> assertThat(f).startsWith("Probe_IN_0: reimage"));
        assertThat(report.adopted()).contains(new InstanceRef(id, "Probe", "Probe_IN_1"));
        DeploymentSnapshot v = FabricChecks.awaitAllReady(fabric, id, BOOT);
        assertThat(v.instances()).extracting(i -> i.state()).containsOnly(InstanceState.READY_ROLE);

        // the end state is the one a reimage without kills gives
        VipEndpoint http = fabric.endpoints(id).get(0);
        InstanceRefs refs = new InstanceRefs(fabric, id);
        assertThat(refs.state("Probe_IN_0")).isEqualTo("os=1 local=2");
        assertThat(refs.state("Probe_IN_1")).isEqualTo("os=1 local=1");
        assertThat(qemuPids(id).get("Probe_IN_1")).isEqualTo(pids.get("Probe_IN_1"));
        assertThat(qemuPids(id).get("Probe_IN_0")).isNotEqualTo(pids.get("Probe_IN_0"));
        List<CsemuDomain> domains = new ArrayList<>();
        for (CsemuDomain d : fabric.hypervisor().listCsemuDomains()) {
            if (d.metadata().dataDirId().equals(fabric.fabricId())) {
                domains.add(d);
            }
        }
        assertThat(domains).extracting(CsemuDomain::name).containsExactlyInAnyOrder(
                DomainNames.of(id, "Probe_IN_0"), DomainNames.of(id, "Probe_IN_1"));
        Map<String, Integer> generations = new HashMap<>();
        domains.forEach(d -> generations.put(d.metadata().instanceId(), d.metadata().overlayGeneration()));
        assertThat(generations.get("Probe_IN_0")).as("one new overlay for the one reimage")
                .isEqualTo(generations.get("Probe_IN_1") + 1);
        try (var dirs = Files.list(ENV.dataDir().resolve("deployments").resolve(id).resolve("instances"))) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("Probe_IN_0", "Probe_IN_1");
        }
        List<LifecycleEvent> events = fabric.events(id);
        assertThat(events).filteredOn(e -> java.util.Objects.equals(e.instanceId(), "Probe_IN_0") && e.trigger() == Trigger.REIMAGE)
                .isNotEmpty();
        assertThat(events).filteredOn(e -> java.util.Objects.equals(e.instanceId(), "Probe_IN_1"))
                .extracting(LifecycleEvent::trigger).doesNotContain(Trigger.REIMAGE, Trigger.DOMAIN_LOST,
                        Trigger.CRASHED);
        assertThat(FabricChecks.get("127.0.0.1", http.boundPort(), "/state.txt")).startsWith("os=");
    }

    /** Reads the probe state of one instance on its own address (bypassing the VIP). */
    private record InstanceRefs(Fabric fabric, String id) {
        String state(String instanceId) throws Exception {
            var n = fabric.instanceNetwork(id, instanceId).orElseThrow();
            return FabricChecks.get(n.address(), n.hostPorts().get("Http"), "/state.txt").trim();
        }
    }

    private static Map<String, Long> qemuPids(String id) throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String instance : List.of("Probe_IN_0", "Probe_IN_1")) {
            ENV.hypervisor().qemuPid(DomainNames.of(id, instance)).ifPresent(p -> out.put(instance, p));
        }
        return out;
    }
}
