package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.UpgradeStatus;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A daemon SIGKILLed in the middle of a walk: a child fabric deploys {@code samples/hello-web} (2 instances, 2
 * upgrade domains) as v1, starts a Manual upgrade to v2, walks domain 0 and is killed at once. The next fabric
 * resumes the walk of domain 0 with the same operation, waits for domain 1's walk, and finishes it: both instances
 * serve v2 (read from each guest's own web server), the operation succeeds, and neither libvirt nor the data
 * directory holds anything orphaned (two domains, two instance directories, one service revision, no staging).
 */
@VmTest
class WalkRecoveryVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void aWalkCutBySigkillIsFinishedByTheNextDaemonWithTheSameOperation() throws Exception {
        Path v1 = version("v1");
        Path v2 = version("v2");
        ChildFabric child = ChildFabric.start(ENV, List.of(), List.of(v1.toString(),
                v1.resolve("ServiceConfiguration.cscfg").toString()));
        String id;
        String op;
        try {
            id = child.await("READY").split(" ")[1];
            child.send("upgrade " + v2 + " manual");
            op = child.await("UPGRADE-REQUESTED").split(" ")[1];
            child.send("walk 0");
            child.await("WALKED");
        } finally {
            child.kill();
        }

        Fabric fabric = ENV.start();
        assertThat(fabric.recoveryReport().errors()).isEmpty();
        Poller.standard().until("domain 0 walked after the restart", Deadline.after(BOOT), () -> {
            UpgradeStatus s = fabric.deployment(id).orElseThrow().upgrade();
            return s != null && s.operationId().equals(op) && s.currentDomain() == 1;
        });
        FabricChecks.awaitAllReady(fabric, id, BOOT);
        assertThat(version(fabric, id, "WebRole1_IN_0")).isEqualTo("v2");
        assertThat(version(fabric, id, "WebRole1_IN_1")).as("domain 1 not walked yet").isEqualTo("v1");
        assertThat(fabric.events(id)).filteredOn(e -> e.instanceId() == null && op.equals(e.operationId()))
                .extracting(LifecycleEvent::cause).anyMatch(c -> c.contains("resumed after a daemon restart"));

        fabric.walkUpgradeDomain(id, 1);
        OperationRecord done = fabric.await(op, BOOT.multipliedBy(2));
        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        FabricChecks.awaitAllReady(fabric, id, BOOT);
        assertThat(version(fabric, id, "WebRole1_IN_0")).isEqualTo("v2");
        assertThat(version(fabric, id, "WebRole1_IN_1")).isEqualTo("v2");

        List<String> domains = new ArrayList<>();
        for (CsemuDomain d : fabric.hypervisor().listCsemuDomains()) {
            if (d.metadata().dataDirId().equals(fabric.fabricId())) {
                domains.add(d.name());
            }
        }
        assertThat(domains).containsExactlyInAnyOrder(DomainNames.of(id, "WebRole1_IN_0"),
                DomainNames.of(id, "WebRole1_IN_1"));
        Path deployment = ENV.dataDir().resolve("deployments").resolve(id);
        Poller.standard().until("the old service revision removed", Deadline.after(BOOT),
                () -> !Files.exists(deployment.resolve("service")));
        try (var entries = Files.list(deployment)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("instances",
                    "service-1");
        }
        try (var entries = Files.list(deployment.resolve("instances"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("WebRole1_IN_0",
                    "WebRole1_IN_1");
        }
        Path staging = ENV.dataDir().resolve("staging");
        if (Files.isDirectory(staging)) {
            try (var entries = Files.list(staging)) {
                assertThat(entries.toList()).as("nothing left in staging").isEmpty();
            }
        }
    }

    /** The version the instance's own web server serves (its address, bypassing the VIP). */
    private static String version(Fabric fabric, String id, String instance) throws IOException {
        var n = fabric.instanceNetwork(id, instance).orElseThrow();
        return FabricChecks.get(n.address(), n.hostPorts().get("Http"), "/version.txt").trim();
    }

    /** A copy of hello-web whose site carries {@code version.txt} = version. */
    private static Path version(String version) throws IOException {
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/hello-web");
        Path dir = ENV.dataDir().resolve("hello-web-" + version);
        FabricChecks.copyTree(sample, dir);
        Files.writeString(dir.resolve("WebRole1/site/version.txt"), version + "\n");
        return dir;
    }
}
