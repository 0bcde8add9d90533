package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.deployment.UpgradeMode;
import org.csemu.fabric.deployment.UpgradeStatus;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Package upgrades in real guests: {@code samples/two-tier} with 2 Frontend and 2 Backend instances over its 2
 * upgrade domains, booted once and shared by the tests, which run in order and each roll out a new "version" of the
 * package (a copy of the sample with a {@code version.txt} in each role). Evidence comes from the guests: the page
 * the Frontend's web server serves through the VIP, the file the Backend's approot holds (read by exec), and a file
 * written to an OS disk before the upgrades (kept: an in-place upgrade keeps the OS disk).
 * <ol>
 *   <li>Auto mode under a bounded load on the VIP: zero failed requests, the new version served at the end, and
 *       the event log has domain 0 finished before domain 1 started;</li>
 *   <li>Manual mode: nothing moves until domain 0 is walked; then the VIP serves both versions; walking domain 1
 *       finishes it;</li>
 *   <li>a rollback after domain 0 of 2: every instance ends on the old version.</li>
 * </ol>
 */
@VmTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final String MARKER = "/var/lib/csemu-upgrade-marker";
    private static Fabric fabric;
    private static String id;

    private static synchronized void deployment() throws Exception {
        if (fabric != null) {
            return;
        }
        Fabric f = ENV.start();
        Path service = version("v1");
        String d = f.createDeployment("upgrade", Slot.PRODUCTION, service, service.resolve("ServiceConfiguration.cscfg"))
                .deploymentId();
        FabricChecks.awaitAllReady(f, d, BOOT);
        awaitPage(httpPort(f, d), "v1");
        FabricChecks.exec(f, new InstanceRef(d, "Backend", "Backend_IN_1"), true, "echo kept > " + MARKER);
        fabric = f;
        id = d;
    }

    @Test
    @Order(1)
    void anAutoUpgradeUnderLoadServesTheNewPackageDomainByDomainWithZeroFailedRequests() throws Exception {
        deployment();
        int port = httpPort(fabric, id);
        int eventsBefore = fabric.events(id).size();
        OperationRecord op;
        Instant started = Instant.now();
        try (VipLoad load = new VipLoad(port, "/version.txt")) {
            load.awaitAnswered(60);
            op = upgradeTo("v2", UpgradeMode.AUTO);
            OperationRecord done = fabric.await(op.id(), BOOT.multipliedBy(2));
            load.awaitAnswered(load.answered() + 60);
            load.close();
            System.out.println("upgrade under load: " + load.answered() + " answered, " + load.failures().size()
                    + " failed " + load.failures() + "; " + Duration.between(started, Instant.now()).toSeconds()
                    + " s; " + done);
            assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
            assertThat(load.failures()).as("failed requests during the upgrade").isEmpty();
            assertThat(load.answers()).extracting(VipLoad.Answer::greeting).containsOnly("v1", "v2").contains("v2");
        }
        assertThat(FabricChecks.get("127.0.0.1", port, "/version.txt").trim()).isEqualTo("v2");
        assertBackends("v2", "v2");
        assertThat(FabricChecks.exec(fabric, new InstanceRef(id, "Backend", "Backend_IN_1"), true, "cat " + MARKER))
                .as("the OS disk is kept by an in-place upgrade").containsExactly("kept");
        List<String> domains = domainEvents(eventsBefore, op.id());
        assertThat(domains).containsExactly("UD0:During", "UD0:Done", "UD1:During", "UD1:Done");
        // domain 1's instances left rotation only after domain 0's came back
        List<LifecycleEvent> events = fabric.events(id).subList(eventsBefore, fabric.events(id).size());
        int ud0Done = indexOf(events, op.id(), "UD0:Done");
        assertThat(events.subList(0, ud0Done)).filteredOn(e -> e.instanceId() != null && e.instanceId().endsWith("_1"))
                .as("domain 1 untouched while domain 0 is walked").isEmpty();
        assertThat(fabric.deployment(id).orElseThrow().upgrade()).isNull();
    }

    @Test
    @Order(2)
    void aManualUpgradeWaitsForEachWalkAndServesBothVersionsBetweenTheDomains() throws Exception {
        deployment();
        int port = httpPort(fabric, id);
        OperationRecord op = upgradeTo("v3", UpgradeMode.MANUAL);
        UpgradeStatus before = fabric.deployment(id).orElseThrow().upgrade();
        assertThat(before.mode()).isEqualTo(UpgradeMode.MANUAL);
        assertThat(before.currentDomainState()).isEqualTo("Before");
        assertThat(FabricChecks.get("127.0.0.1", port, "/version.txt").trim()).as("nothing walked yet").isEqualTo("v2");

        fabric.walkUpgradeDomain(id, 0);
        awaitDomain(1);
        assertBackends("v3", "v2");
        Poller.standard().until("the VIP serving both versions", Deadline.after(Duration.ofSeconds(60)), () -> {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 20; i++) {
                try {
                    seen.add(FabricChecks.get("127.0.0.1", port, "/version.txt").trim());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e); // a failed request fails the test
                }
            }
            return seen.equals(java.util.Set.of("v2", "v3"));
        });

        fabric.walkUpgradeDomain(id, 1);
        OperationRecord done = fabric.await(op.id(), BOOT.multipliedBy(2));
        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertBackends("v3", "v3");
        awaitPage(port, "v3");
    }

    @Test
    @Order(3)
    void aRollbackAfterTheFirstDomainReturnsEveryInstanceToTheOldVersion() throws Exception {
        deployment();
        int port = httpPort(fabric, id);
        OperationRecord op = upgradeTo("v4", UpgradeMode.MANUAL);
        fabric.walkUpgradeDomain(id, 0);
        awaitDomain(1);
        assertBackends("v4", "v3");

        OperationRecord rollback = fabric.rollback(id, UpgradeMode.AUTO);
        OperationRecord done = fabric.await(rollback.id(), BOOT.multipliedBy(2));
        assertThat(done.status()).as(done.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(done.total()).as("the two instances of domain 0").isEqualTo(2);
        assertThat(fabric.operation(op.id()).orElseThrow().errors()).anySatisfy(e -> assertThat(e)
                .contains("rolled back by operation " + rollback.id()));
        assertBackends("v3", "v3");
        for (int i = 0; i < 10; i++) {
            assertThat(FabricChecks.get("127.0.0.1", port, "/version.txt").trim()).isEqualTo("v3");
        }
        // the instances of domain 1 were never touched by the upgrade or the rollback
        assertThat(fabric.events(id)).filteredOn(e -> e.instanceId() != null && e.instanceId().endsWith("_1")
                && (op.id().equals(e.operationId()) || rollback.id().equals(e.operationId()))).isEmpty();
        // the rollouts are forgotten just after their operations end; then one revision is left
        Poller.standard().until("one service revision in use", Deadline.after(Duration.ofSeconds(30)),
                () -> fabric.controller().revisionsInUse(id).size() == 1);
    }

    /** Upgrade the shared deployment to a new version of the package, every role; the upgrade's operation. */
    private static OperationRecord upgradeTo(String version, UpgradeMode mode) throws Exception {
        Path service = version(version);
        return fabric.upgrade(id, service, service.resolve("ServiceConfiguration.cscfg"), mode, null).get(0);
    }

    /** Until the rollout's current domain is {@code ud} (the ones before are done). */
    private static void awaitDomain(int ud) throws Exception {
        Poller.standard().until("upgrade domain " + ud + " current", Deadline.after(BOOT), () -> {
            UpgradeStatus s = fabric.deployment(id).orElseThrow().upgrade();
            return s != null && s.currentDomain() == ud;
        });
        FabricChecks.awaitAllReady(fabric, id, BOOT);
    }

    /** The version each Backend instance's approot holds, read inside the guest. */
    private static void assertBackends(String in0, String in1) throws Exception {
        assertThat(FabricChecks.exec(fabric, new InstanceRef(id, "Backend", "Backend_IN_0"), true,
                "cat /csemu/approot/version.txt")).containsExactly(in0);
        assertThat(FabricChecks.exec(fabric, new InstanceRef(id, "Backend", "Backend_IN_1"), true,
                "cat /csemu/approot/version.txt")).containsExactly(in1);
    }

    private static List<String> domainEvents(int from, String operationId) {
        return fabric.events(id).subList(from, fabric.events(id).size()).stream()
                .filter(e -> e.instanceId() == null && Objects.equals(e.operationId(), operationId)
                        && e.to().startsWith("UD") && !e.from().equals(e.to()))
                .map(LifecycleEvent::to).toList();
    }

    private static int indexOf(List<LifecycleEvent> events, String operationId, String to) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).instanceId() == null && operationId.equals(events.get(i).operationId())
                    && to.equals(events.get(i).to())) {
                return i;
            }
        }
        throw new AssertionError("no event " + to + " of " + operationId);
    }

    /** A copy of the two-tier sample, 2 instances per role, whose roles carry {@code version.txt} = version. */
    private static Path version(String version) throws IOException {
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/two-tier");
        Path dir = ENV.dataDir().resolve("two-tier-" + version);
        FabricChecks.copyTree(sample, dir);
        Files.writeString(dir.resolve("Frontend/site/version.txt"), version + "\n");
        Files.writeString(dir.resolve("Backend/version.txt"), version + "\n");
        Path cscfg = dir.resolve("ServiceConfiguration.cscfg");
        Files.writeString(cscfg, Files.readString(cscfg).replace("<Instances count=\"1\" />",
                "<Instances count=\"2\" />"));
        return dir;
    }

    private static int httpPort(Fabric f, String deploymentId) {
        return f.endpoints(deploymentId).stream().filter(e -> e.instanceId() == null)
                .filter(e -> e.role().equals("Frontend")).map(VipEndpoint::boundPort).findFirst().orElseThrow();
    }

    private static void awaitPage(int port, String version) throws Exception {
        Poller.standard().until(version + " on port " + port, Deadline.after(BOOT), () -> {
            try {
                return FabricChecks.get("127.0.0.1", port, "/version.txt").trim().equals(version);
            } catch (IOException e) {
                return false;
            }
        });
    }
}
