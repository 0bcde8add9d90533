package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * hello-web scaled out 2 → 3 (a new instance {@code _IN_2} on a new overlay joins rotation) and in 3 → 1 (the highest
 * ids leave rotation, are drained and deleted with their domains and disks), then deleted as a whole (listeners,
 * addresses and the image reference go too).
 */
@VmTest
class ScaleVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void scalesOutAndInAndDeletesWithoutLeftovers() throws Exception {
        Fabric fabric = ENV.start();
        List<RotationChange> changes = Collections.synchronizedList(new ArrayList<>());
        fabric.subscribeRotation(changes::add);
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/hello-web");
        Fabric.DeploymentCreation created = fabric.createDeployment("hello", Slot.PRODUCTION, sample, null);
        String id = created.deploymentId();
        VipEndpoint http = created.endpoints().get(0);
        assertThat(http.declaredPort()).isEqualTo(80);
        assertThat(http.boundPort()).isNotEqualTo(80); // privileged: 80 -> 8080 or the next free port
        assertThat(http.describePort()).isEqualTo("80 -> " + http.boundPort());
        Image base = fabric.images().require(FabricConfig.DEFAULT_IMAGE);
        assertThat(fabric.images().users(base.id())).containsExactly(id);
        FabricChecks.awaitAllReady(fabric, id, BOOT);
        assertThat(servedBy(http, 2)).containsExactlyInAnyOrder("WebRole1_IN_0", "WebRole1_IN_1");

        // scale out 2 -> 3
        OperationRecord out = fabric.scale(id, "WebRole1", 3);
        assertThat(fabric.await(out.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        FabricChecks.awaitState(fabric, id, "WebRole1_IN_2", InstanceState.READY_ROLE, BOOT);
        InstanceRef in2 = new InstanceRef(id, "WebRole1", "WebRole1_IN_2");
        assertThat(Files.isRegularFile(fabric.runtime().paths(in2).osDisk())).isTrue();
        assertThat(FabricChecks.states(fabric, id, "WebRole1_IN_2", 0)).first().isEqualTo("CreatingVM");
        assertThat(fabric.instanceNetwork(id, "WebRole1_IN_2").orElseThrow().address()).startsWith("127.255.");
        assertThat(servedBy(http, 3)).containsExactlyInAnyOrder("WebRole1_IN_0", "WebRole1_IN_1", "WebRole1_IN_2");

        // scale in 3 -> 1: the highest ids go
        changes.clear();
        OperationRecord in = fabric.scale(id, "WebRole1", 1);
        assertThat(fabric.await(in.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        assertThat(fabric.deployment(id).orElseThrow().instances()).extracting(i -> i.ref().instanceId())
                .containsExactly("WebRole1_IN_0");
        for (String gone : List.of("WebRole1_IN_1", "WebRole1_IN_2")) {
            InstanceRef ref = new InstanceRef(id, "WebRole1", gone);
            assertThat(fabric.hypervisor().state(DomainNames.of(id, gone))).as(gone + " domain").isEmpty();
            assertThat(fabric.runtime().paths(ref).dir()).as(gone + " disks").doesNotExist();
            assertThat(fabric.rotation().handles(ref)).isEmpty();
            assertThat(fabric.instanceNetwork(id, gone)).isEmpty();
            assertThat(changes).anySatisfy(c -> {
                assertThat(c.ref()).isEqualTo(ref);
                assertThat(c.inRotation()).isFalse();
            });
        }
        assertThat(changes).noneSatisfy(c -> assertThat(c.ref().instanceId()).isEqualTo("WebRole1_IN_0"));
        assertThat(servedBy(http, 1)).containsExactly("WebRole1_IN_0");

        // delete: domains, disks, listeners, addresses and the image reference go
        OperationRecord delete = fabric.deleteDeployment(id);
        assertThat(fabric.await(delete.id(), BOOT).status()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        Poller.standard().until("deployment resources released", Deadline.after(Duration.ofSeconds(30)),
                () -> fabric.rotation().endpointListeners(id).isEmpty() && usersOf(fabric, base).isEmpty()
                        && !Files.exists(ENV.dataDir().resolve("deployments").resolve(id)));
        assertThat(fabric.hypervisor().listCsemuDomains()).noneMatch(d -> d.metadata().deploymentId().equals(id));
        assertThat(fabric.deployments()).isEmpty();
    }

    private static Set<String> usersOf(Fabric fabric, Image image) {
        try {
            return fabric.images().users(image.id());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Instances answering on the VIP over new connections (bounded number of requests). */
    private static Set<String> servedBy(VipEndpoint http, int expected) throws Exception {
        Set<String> served = new HashSet<>();
        for (int i = 0; i < 60 && served.size() < expected; i++) {
            served.add(FabricChecks.get("127.0.0.1", http.boundPort(), "/instance.txt").trim());
        }
        for (int i = 0; i < 20; i++) {
            served.add(FabricChecks.get("127.0.0.1", http.boundPort(), "/instance.txt").trim());
        }
        return served;
    }
}
