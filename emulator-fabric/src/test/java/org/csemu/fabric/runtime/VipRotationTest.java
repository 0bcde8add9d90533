package org.csemu.fabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.VipLoadBalancer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's rotation on the real LB, with plain socket backends standing in for instances: eligibility reaches
 * every listener of the role only, ignoreRoleInstanceStatus backends stay in, changes are published in order, and
 * removal forgets the backend.
 */
class VipRotationTest {
    private VipLoadBalancer lb;
    private final List<ServerSocket> backends = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @BeforeEach
    void start() {
        lb = VipLoadBalancer.start();
    }

    @AfterEach
    void stop() throws Exception {
        lb.close();
        for (ServerSocket s : backends) {
            s.close();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    @Test
    void eligibilityFollowsTheControllerOnEveryListenerOfTheRole() throws Exception {
        VipRotation rotation = new VipRotation(lb);
        List<RotationChange> changes = new ArrayList<>();
        rotation.subscribe(changes::add);
        BoundListener web = lb.addListener(ListenerSpec.tcp("d/Web/Http").port(18_500).build());
        BoundListener admin = lb.addListener(ListenerSpec.tcp("d/Web/Admin").port(18_600).build());
        BoundListener worker = lb.addListener(ListenerSpec.tcp("d/Worker/Tcp").port(18_700).build());
        rotation.addEndpointListener(new VipRotation.EndpointListener("d", "Web", "Http", false, web));
        rotation.addEndpointListener(new VipRotation.EndpointListener("d", "Web", "Admin", true, admin));
        rotation.addEndpointListener(new VipRotation.EndpointListener("d", "Worker", "Tcp", false, worker));
        int port = backend("IN_0");
        InstanceRef web0 = new InstanceRef("d", "Web", "Web_IN_0");
        rotation.addBackends(web0, "127.0.0.1", Map.of("Http", port, "Admin", port));

        assertThat(worker.backends()).isEmpty();
        assertThat(web.backends()).singleElement().satisfies(b -> assertThat(b.eligible()).isFalse());
        assertThat(admin.backends()).singleElement().satisfies(b -> assertThat(b.eligible()).isTrue());
        assertThat(call(web.port())).isNull(); // nothing in rotation: accepted and closed

        rotation.putInRotation(web0);
        assertThat(call(web.port())).isEqualTo("IN_0");
        rotation.takeOutOfRotation(web0);
        assertThat(web.backends().get(0).inRotation()).isFalse();
        assertThat(admin.backends().get(0).inRotation()).isTrue(); // ignoreRoleInstanceStatus
        assertThat(changes).extracting(RotationChange::inRotation).containsExactly(true, false);
        assertThat(changes.get(1).nanoTime()).isGreaterThanOrEqualTo(changes.get(0).nanoTime());

        rotation.drain(web0, Duration.ofSeconds(1));
        rotation.remove(web0);
        assertThat(web.backends()).isEmpty();
        assertThat(rotation.handles(web0)).isEmpty();
        rotation.removeDeployment("d");
        assertThat(lb.listeners()).isEmpty();
    }

    private int backend(String name) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        backends.add(s);
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept(); OutputStream out = c.getOutputStream()) {
                    out.write(name.getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        threads.add(t);
        return s.getLocalPort();
    }

    private static String call(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            byte[] all = in.readAllBytes();
            return all.length == 0 ? null : new String(all, StandardCharsets.US_ASCII);
        } catch (java.net.SocketException reset) {
            return null;
        }
    }
}
