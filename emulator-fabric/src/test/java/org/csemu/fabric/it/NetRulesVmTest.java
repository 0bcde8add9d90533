package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.runtime.VipRotation;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.lb.BoundListener;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code netrules} service in two real guests: the endpoint ACL {@code only-2} (permit 127.0.0.2/32, deny
 * 127.0.0.0/8) on the VIP's {@code Http} and on each instance's {@code Direct} port, tried from clients bound to
 * 127.0.0.2 and 127.0.0.3; and the three ports of the internal endpoint {@code Range} (FixedPortRange 7101-7103),
 * each answered from inside the other instance (the port the role environment lists + k, through that guest's
 * proxy and this one's traffic gate) and refused to a host process on both of its forwards (the instance address
 * and the peer port): no secret, no answer. Both tests share one deployment, booted by whichever runs first.
 */
@VmTest
class NetRulesVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final List<String> INSTANCES = List.of("Web_IN_0", "Web_IN_1");
    private static final List<Integer> RANGE = List.of(7101, 7102, 7103);

    private static Fabric fabric;
    private static Fabric.DeploymentCreation created;

    /** The shared deployment, created and awaited Ready once. */
    private static synchronized Fabric.DeploymentCreation deployment() throws Exception {
        if (created == null) {
            fabric = ENV.start();
            Path service = Path.of(NetRulesVmTest.class.getResource("/services/netrules").toURI());
            created = fabric.createDeployment("netrules", Slot.PRODUCTION, service, null);
            FabricChecks.awaitAllReady(fabric, created.deploymentId(), BOOT);
        }
        return created;
    }

    @Test
    void theEndpointAclPermitsOneSourceAddressAndDeniesTheOtherAtTheVipAndOnInstancePorts() throws Exception {
        String id = deployment().deploymentId();
        VipEndpoint http = created.endpoints().stream().filter(e -> e.endpoint().equals("Http")).findFirst()
                .orElseThrow();
        BoundListener listener = fabric.rotation().endpointListeners(id).stream()
                .filter(l -> l.endpoint().equals("Http")).map(VipRotation.EndpointListener::listener).findFirst()
                .orElseThrow();
        long deniedBefore = listener.stats().deniedByAcl();

        // permitted: served by both instances (Ready comes as the entry point starts, so wait for its servers)
        Set<String> served = new HashSet<>();
        served.add(answered("Http from 127.0.0.2", "127.0.0.2", http.boundPort()));
        Deadline spread = Deadline.after(Duration.ofSeconds(60));
        while (served.size() < 2 && !spread.expired()) {
            String body = getFrom("127.0.0.2", http.boundPort(), "/index.html");
            if (body != null) {
                served.add(body.trim());
            }
        }
        assertThat(served).containsExactlyInAnyOrderElementsOf(INSTANCES);
        for (int i = 0; i < 3; i++) {
            assertThat(getFrom("127.0.0.3", http.boundPort(), "/index.html")).as("denied: closed, no answer").isNull();
        }
        assertThat(listener.stats().deniedByAcl() - deniedBefore).isEqualTo(3);

        // the instance input endpoint: each instance its own public port from 30200-30220, under the same ACL
        List<VipEndpoint> direct = fabric.endpoints(id).stream().filter(e -> e.instanceId() != null).toList();
        assertThat(direct).extracting(VipEndpoint::instanceId).containsExactlyInAnyOrderElementsOf(INSTANCES);
        assertThat(direct).extracting(VipEndpoint::boundPort).doesNotHaveDuplicates()
                .allSatisfy(p -> assertThat(p).isBetween(30200, 30220));
        for (VipEndpoint e : direct) {
            assertThat(answered("Direct of " + e.instanceId(), "127.0.0.2", e.boundPort())).isEqualTo(e.instanceId());
            assertThat(getFrom("127.0.0.3", e.boundPort(), "/index.html")).isNull();
        }
    }

    @Test
    void everyPortOfAFixedPortRangeAnswersFromTheOtherInstanceAndNoHostProcessReachesIt() throws Exception {
        String id = deployment().deploymentId();
        for (String instance : INSTANCES) { // the host path (the instance address) and the peer port: gated
            InstanceNetwork n = fabric.instanceNetwork(id, instance).orElseThrow();
            for (int k = 0; k < RANGE.size(); k++) {
                for (String path : List.of(n.address() + ":" + (n.hostPorts().get("Range") + k),
                        "127.0.0.1:" + (n.peerPorts().get("Range") + k))) {
                    String host = path.substring(0, path.indexOf(':'));
                    int port = Integer.parseInt(path.substring(path.indexOf(':') + 1));
                    assertThatThrownBy(() -> FabricChecks.get(host, port, "/index.html"))
                            .as("a host process on " + path + " (Range " + RANGE.get(k) + " of " + instance + ")")
                            .isInstanceOf(IOException.class).message().containsPattern("answered nothing|reset");
                }
            }
        }
        for (String instance : INSTANCES) { // from inside: the peer's Range as the role environment lists it, + k
            InstanceNetwork n = fabric.instanceNetwork(id, instance).orElseThrow();
            String peer = INSTANCES.get(1 - INSTANCES.indexOf(instance));
            String body = Poller.standard().until(instance + " reaching every Range port of " + peer,
                    Deadline.after(Duration.ofSeconds(60)), () -> {
                        String b = FabricChecks.get(n.address(), n.hostPorts().get("Http"), "/cgi-bin/range");
                        return b.contains("no answer") ? Optional.empty() : Optional.of(b);
                    });
            assertThat(body.lines().map(String::trim).toList())
                    .containsExactly(peer + " 7101", peer + " 7102", peer + " 7103");
        }
    }

    /**
     * A configuration update that changes the ACL (now 127.0.0.3 only) is enforced by the VIP at once, on the
     * input endpoint and on each instance's port, with no instance recycled or told; the original comes back the same
     * way, so the other test sees the deployment as it was.
     */
    @Test
    void anAclChangedByAConfigurationUpdateIsEnforcedAtOnceAndNoInstanceIsTouched() throws Exception {
        String id = deployment().deploymentId();
        int http = created.endpoints().stream().filter(e -> e.endpoint().equals("Http")).findFirst().orElseThrow()
                .boundPort();
        answered("Http from 127.0.0.2 before the change", "127.0.0.2", http);
        Path original = Path.of(NetRulesVmTest.class.getResource("/services/netrules/ServiceConfiguration.cscfg")
                .toURI());
        Path changed = Files.writeString(ENV.dataDir().resolve("netrules-acl.cscfg"),
                Files.readString(original).replace("127.0.0.2/32", "127.0.0.3/32"));
        int events = fabric.events(id).size();
        try {
            assertThat(fabric.changeConfiguration(id, changed)).as("no instance operation").isEmpty();
            assertThat(getFrom("127.0.0.3", http, "/index.html")).as("permitted at once (the server was up)")
                    .isNotNull();
            assertThat(getFrom("127.0.0.2", http, "/index.html")).as("denied at once").isNull();
            for (VipEndpoint e : fabric.endpoints(id).stream().filter(e -> e.instanceId() != null).toList()) {
                assertThat(answered(e.instanceId() + " from 127.0.0.3", "127.0.0.3", e.boundPort()))
                        .isEqualTo(e.instanceId());
                assertThat(getFrom("127.0.0.2", e.boundPort(), "/index.html")).as(e.instanceId()).isNull();
            }
            assertThat(fabric.events(id).subList(events, fabric.events(id).size())).as("no instance event").isEmpty();
        } finally {
            fabric.changeConfiguration(id, original);
        }
        assertThat(getFrom("127.0.0.2", http, "/index.html")).as("the original ACL again").isNotNull();
        assertThat(getFrom("127.0.0.3", http, "/index.html")).isNull();
    }

    /** The body of /index.html for a client bound to {@code source}, once the instance's server answers. */
    private static String answered(String what, String source, int port) throws Exception {
        return Poller.standard().until(what, Deadline.after(Duration.ofSeconds(60)),
                () -> Optional.ofNullable(getFrom(source, port, "/index.html")).map(String::trim));
    }

    /** GET from a client bound to {@code source}; null when the VIP closes or resets the connection unanswered. */
    private static String getFrom(String source, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(15000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (response.isEmpty()) {
                return null;
            }
            assertThat(response).as("answer to " + source).startsWith("HTTP/1.").contains(" 200 ");
            return response.substring(response.indexOf("\r\n\r\n") + 4);
        } catch (SocketException reset) {
            return null;
        }
    }
}
