package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.service.GateSecrets;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two-tier sample in real guests behind the real VIP: deploy to Ready with the documented state sequence, both
 * web instances answer through the VIP, the frontend reaches the backend over the internal endpoint (its guest's proxy
 * and the backend's traffic gate), while the NetworkTrafficRules keep a host process and the Backend role out; then {@code kill -9} of one frontend's QEMU takes it out of rotation within 1 s (libvirt event,
 * no polling) and it heals to Ready on its own while the other instances never leave rotation.
 */
@VmTest
class TwoTierDeploymentVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final List<String> FIRST_BOOT_SEQUENCE = List.of("CreatingVM", "StartingVM", "CreatingRole",
            "CreatingRole", "StartingRole", "ReadyRole");

    @Test
    void deploysToReadyServesThroughTheVipReachesTheBackendAndHealsAKilledInstanceWithinOneSecond() throws Exception {
        Fabric fabric = ENV.start();
        List<RotationChange> changes = Collections.synchronizedList(new ArrayList<>());
        fabric.subscribeRotation(changes::add);
        Path sample = Path.of(System.getProperty("csemu.root", "..")).resolve("samples/two-tier");

        Fabric.DeploymentCreation created = fabric.createDeployment("two-tier", Slot.PRODUCTION, sample, null);
        String id = created.deploymentId();
        VipEndpoint http = created.endpoints().stream().filter(e -> e.endpoint().equals("Http")).findFirst().orElseThrow();
        assertThat(http.address()).isEqualTo("127.0.0.1");
        assertThat(http.declaredPort()).isEqualTo(8080);

        FabricChecks.awaitAllReady(fabric, id, BOOT);
        String story = FabricChecks.describe(fabric, id);
        for (String instance : List.of("Frontend_IN_0", "Frontend_IN_1", "Backend_IN_0")) {
            assertThat(FabricChecks.states(fabric, id, instance, 0)).as(story).containsExactlyElementsOf(FIRST_BOOT_SEQUENCE);
        }
        // each instance has an address of its own in 127.255/16, every endpoint forwarded from it
        Set<String> addresses = new HashSet<>();
        for (String instance : List.of("Frontend_IN_0", "Frontend_IN_1", "Backend_IN_0")) {
            InstanceNetwork n = fabric.instanceNetwork(id, instance).orElseThrow();
            assertThat(n.address()).startsWith("127.255.");
            addresses.add(n.address());
        }
        assertThat(addresses).hasSize(3);
        InstanceNetwork backend = fabric.instanceNetwork(id, "Backend_IN_0").orElseThrow();
        assertThat(backend.peerPorts()).containsKey("Api");
        InstanceNetwork front0 = fabric.instanceNetwork(id, "Frontend_IN_0").orElseThrow();
        assertThat(FabricChecks.get(front0.address(), front0.hostPorts().get("Http"), "/cgi-bin/call"))
                .contains("frontend Frontend_IN_0");

        // the VIP reaches both web instances, and each reaches the backend through its own guest's proxy
        // (10.0.2.15:<peer port>) and the backend's traffic gate, which the NetworkTrafficRules open to Frontend
        Set<String> served = new HashSet<>();
        Deadline spread = Deadline.after(Duration.ofSeconds(60));
        while (served.size() < 2 && !spread.expired()) {
            String body = FabricChecks.get("127.0.0.1", http.boundPort(), "/cgi-bin/call");
            assertThat(body).contains("-> backend 10.0.2.15:" + backend.peerPorts().get("Api"))
                    .contains("work done by Backend_IN_0: call");
            served.add(body.lines().findFirst().orElse("").split(" ")[1]);
        }
        assertThat(served).containsExactlyInAnyOrder("Frontend_IN_0", "Frontend_IN_1");

        // the rules allow only Frontend: a host process gets nothing on either of the backend's Api forwards, and
        // a connection with the Backend role's own secret (what a second backend instance would send) is refused
        // by the gate, while the Frontend role's secret passes; the gate's log in the guest says so
        int apiPeer = backend.peerPorts().get("Api");
        for (String path : List.of(backend.address() + ":" + backend.hostPorts().get("Api"), "127.0.0.1:" + apiPeer)) {
            String host = path.substring(0, path.indexOf(':'));
            int port = Integer.parseInt(path.substring(path.indexOf(':') + 1));
            assertThatThrownBy(() -> FabricChecks.get(host, port, "/cgi-bin/work")).as("a host process on " + path)
                    .isInstanceOf(java.io.IOException.class).message().containsPattern("answered nothing|reset");
        }
        GateSecrets secrets = new GateSecrets(ENV.dataDir());
        InstanceRef back = new InstanceRef(id, "Backend", "Backend_IN_0");
        String call = "printf 'csemu-gate %s\\nGET /cgi-bin/work HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.0.2.2 " + apiPeer
                + " | grep -c 'work done' || true";
        assertThat(FabricChecks.exec(fabric, back, true, call.formatted(secrets.of(id, "Backend")))).as("the Backend role's secret")
                .containsExactly("0");
        assertThat(FabricChecks.exec(fabric, back, true, call.formatted(secrets.of(id, "Frontend")))).as("the Frontend role's secret")
                .containsExactly("1");
        assertThat(FabricChecks.exec(fabric, back, true, "grep -c 'traffic gate " + apiPeer + ": refused' /var/log/csemu/agent.log"))
                .singleElement().satisfies(n -> assertThat(Integer.parseInt(n)).isGreaterThanOrEqualTo(3));

        // kill -9 the QEMU of Frontend_IN_0 (pid from libvirt): out of rotation within 1 s, Ready again unasked
        InstanceRef victim = new InstanceRef(id, "Frontend", "Frontend_IN_0");
        int eventsBefore = fabric.events(id).size();
        changes.clear();
        OptionalLong pid = fabric.hypervisor().qemuPid(DomainNames.of(id, "Frontend_IN_0"));
        assertThat(pid).isPresent();
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid.getAsLong()).orElseThrow().destroyForcibly();
        RotationChange out = Poller.standard().until("Frontend_IN_0 out of rotation", Deadline.after(Duration.ofSeconds(10)),
                () -> changes.stream().filter(c -> c.ref().equals(victim) && !c.inRotation()).findFirst());
        Duration latency = Duration.ofNanos(out.nanoTime() - killedAt);
        System.out.println("kill -9 to out of rotation: " + latency.toMillis() + " ms");
        assertThat(latency).as("kill -9 to rotation change").isLessThan(Duration.ofSeconds(1));
        assertThat(fabric.rotation().handles(victim)).allSatisfy(b -> assertThat(b.inRotation()).isFalse());

        FabricChecks.awaitState(fabric, id, "Frontend_IN_0", InstanceState.READY_ROLE, BOOT);
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_0", eventsBefore))
                .as(FabricChecks.describe(fabric, id))
                // same overlay: no first-boot setup (CreatingRole) again
                .containsExactly("RestartingRole", "StartingVM", "StartingRole", "ReadyRole");
        assertThat(fabric.rotation().handles(victim)).allSatisfy(b -> assertThat(b.inRotation()).isTrue());
        assertThat(changes).as("rotation changes while healing").allSatisfy(c -> assertThat(c.ref()).isEqualTo(victim));
        assertThat(changes.stream().map(RotationChange::inRotation).toList()).containsExactly(false, true);
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_1", eventsBefore)).isEmpty();
        assertThat(FabricChecks.states(fabric, id, "Backend_IN_0", eventsBefore)).isEmpty();

        served.clear();
        spread = Deadline.after(Duration.ofSeconds(60));
        while (served.size() < 2 && !spread.expired()) {
            served.add(FabricChecks.get("127.0.0.1", http.boundPort(), "/cgi-bin/call").lines().findFirst()
                    .orElse("").split(" ")[1]);
        }
        assertThat(served).containsExactlyInAnyOrder("Frontend_IN_0", "Frontend_IN_1");

        // a new WorkLabel: the backend's Changing hook cancels (its server read the value at start), so the fabric
        // recycles it on the same overlay and it serves the new value; the frontends are not touched
        int beforeChange = fabric.events(id).size();
        int bootsBefore = backendBoots(FabricChecks.get("127.0.0.1", http.boundPort(), "/cgi-bin/call"));
        Path cscfg = Files.createTempFile("two-tier", ".cscfg");
        try {
            Files.writeString(cscfg, Files.readString(sample.resolve("ServiceConfiguration.cscfg"))
                    .replace("value=\"work done\"", "value=\"work redone\""));
            List<OperationRecord> ops = fabric.changeConfiguration(id, cscfg);
            assertThat(ops).hasSize(1);
            OperationRecord done = fabric.await(ops.get(0).id(), BOOT);
            assertThat(done.status()).as(done.errors() + "\n" + FabricChecks.describe(fabric, id))
                    .isEqualTo(OperationRecord.Status.SUCCEEDED);
        } finally {
            Files.deleteIfExists(cscfg);
        }
        assertThat(FabricChecks.states(fabric, id, "Backend_IN_0", beforeChange)).as(FabricChecks.describe(fabric, id))
                .containsExactly("StoppingRole", "StartingVM", "StartingRole", "ReadyRole");
        assertThat(fabric.events(id).subList(beforeChange, fabric.events(id).size())).anyMatch(e ->
                java.util.Objects.equals(e.instanceId(), "Backend_IN_0") && e.trigger() == Trigger.RECYCLE_REQUESTED
                        && e.cause().contains("cancelled Changing"));
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_0", beforeChange)).isEmpty();
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_1", beforeChange)).isEmpty();
        String relabelled = Poller.standard().until("the backend's new label through the VIP",
                Deadline.after(Duration.ofSeconds(60)), () -> {
                    String body = FabricChecks.get("127.0.0.1", http.boundPort(), "/cgi-bin/call");
                    return body.contains("work redone by Backend_IN_0") ? java.util.Optional.of(body)
                            : java.util.Optional.empty();
                });
        // the startup task ran again (a recycle is a boot) and local storage kept its counter
        assertThat(backendBoots(relabelled)).isEqualTo(bootsBefore + 1);

        // scale the backend out: the frontends get a topology change (Changed, their role environment lists the new
        // peer) without a restart, and their calls reach both backends
        int beforeScale = fabric.events(id).size();
        OperationRecord scaled = fabric.await(fabric.scale(id, "Backend", 2).id(), BOOT);
        assertThat(scaled.status()).as(scaled.errors().toString()).isEqualTo(OperationRecord.Status.SUCCEEDED);
        Poller.standard().until("a topology change in both frontends", Deadline.after(BOOT), () ->
                fabric.events(id).subList(beforeScale, fabric.events(id).size()).stream()
                        .filter(e -> e.trigger() == Trigger.CONFIGURATION_CHANGED && "topology Backend".equals(e.cause()))
                        .map(e -> e.instanceId()).toList().containsAll(List.of("Frontend_IN_0", "Frontend_IN_1")));
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_0", beforeScale)).containsExactly("ReadyRole");
        assertThat(FabricChecks.states(fabric, id, "Frontend_IN_1", beforeScale)).containsExactly("ReadyRole");
        Set<String> backends = new HashSet<>();
        Deadline both = Deadline.after(Duration.ofSeconds(90));
        while (backends.size() < 2 && !both.expired()) {
            String body = FabricChecks.get("127.0.0.1", http.boundPort(), "/cgi-bin/call");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("by (Backend_IN_\\d+)").matcher(body);
            if (m.find()) {
                backends.add(m.group(1));
            }
        }
        assertThat(backends).as("backends reached through the frontends").containsExactlyInAnyOrder("Backend_IN_0",
                "Backend_IN_1");
    }

    private static int backendBoots(String callBody) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("boot (\\d+)").matcher(callBody);
        assertThat(m.find()).as(callBody).isTrue();
        return Integer.parseInt(m.group(1));
    }

}
