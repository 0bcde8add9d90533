package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ListenerTest {

    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() {
        lb.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** Three consecutive free ports below the ephemeral range (so client sockets do not take them meanwhile). */
    private static int freeRangeOfThree() throws Exception {
        for (int base = 20_000 + (int) (ProcessHandle.current().pid() % 5000) * 2; base < 32_000; base += 3) {
            boolean free = true;
            for (int p = base; p < base + 3 && free; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress("127.0.0.1", p));
                } catch (java.io.IOException e) {
                    free = false;
                }
            }
            if (free) {
                return base;
            }
        }
        throw new IllegalStateException("no three consecutive free ports");
    }

    @Test
    void bindsTheDeclaredPortWhenFree() throws Exception {
        int port = freePort();
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").port(port).build());
        assertThat(l.port()).isEqualTo(port);
        assertThat(l.portChanged()).isFalse();
        assertThat(l.address()).isEqualTo("127.0.0.1");
    }

    @Test
    void movesToTheNextFreePortWhenTheDeclaredOneIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").port(taken.getLocalPort()).build());
            assertThat(l.port()).isGreaterThan(taken.getLocalPort());
            assertThat(l.portChanged()).isTrue();
            // and a second listener declaring the same port moves again
            BoundListener l2 = lb.addListener(ListenerSpec.tcp("web2").port(taken.getLocalPort()).build());
            assertThat(l2.port()).isNotIn(taken.getLocalPort(), l.port());
        }
    }

    @Test
    void privilegedPortsMoveWhenNotAllowed() {
        BoundListener l = lb.addListener(ListenerSpec.tcp("http").port(80).build());
        assertThat(l.port()).isGreaterThanOrEqualTo(8080);
        assertThat(l.portChanged()).isTrue();
        BoundListener u = lb.addListener(ListenerSpec.udp("dns").port(53).build());
        assertThat(u.port()).isGreaterThanOrEqualTo(8053);
    }

    @Test
    void listenersAreAddedAndRemovedWhileRunning() throws Exception {
        try (LineBackend a = new LineBackend("A")) {
            BoundListener one = lb.addListener(ListenerSpec.tcp("one").build());
            one.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
            assertThat(Clients.askOnce(null, one.port())).isEqualTo("A");
            BoundListener two = lb.addListener(ListenerSpec.tcp("two").build());
            two.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
            assertThat(Clients.askOnce(null, two.port())).isEqualTo("A");
            assertThat(lb.listeners()).hasSize(2);
            assertThatThrownBy(() -> lb.addListener(ListenerSpec.tcp("one").build()))
                    .hasMessageContaining("already exists");
            assertThat(lb.removeListener("one")).isTrue();
            assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", one.port()), 2000))
                    .isInstanceOf(ConnectException.class);
            assertThat(Clients.askOnce(null, two.port())).isEqualTo("A");
            assertThat(lb.listener("one")).isEmpty();
        }
    }

    @Test
    void nonLoopbackAddressesAreRefused() {
        assertThatThrownBy(() -> ListenerSpec.tcp("x").address("203.0.113.7").build())
                .hasMessageContaining("loopback");
        BoundListener l = lb.addListener(ListenerSpec.tcp("x").build());
        assertThatThrownBy(() -> l.addBackend("b", "203.0.113.7", 80)).hasMessageContaining("loopback");
    }

    /** InstanceInputEndpoint: each instance its own public port from the range, forwarding to that instance alone. */
    @Test
    void instanceInputEndpointsAllocateOnePortPerInstanceFromTheRange() throws Exception {
        int base = freeRangeOfThree();
        try (LineBackend in0 = new LineBackend("IN_0"); LineBackend in1 = new LineBackend("IN_1");
             ServerSocket taken = new ServerSocket()) {
            taken.setReuseAddress(true);
            taken.bind(new InetSocketAddress("127.0.0.1", base + 1));
            BoundListener p0 = lb.addListener(ListenerSpec.tcp("Role/Rdp/IN_0").portRange(base, base + 2).build());
            p0.addBackend("IN_0", "127.0.0.1", in0.port()).setEligible(true);
            BoundListener p1 = lb.addListener(ListenerSpec.tcp("Role/Rdp/IN_1").portRange(base, base + 2).build());
            p1.addBackend("IN_1", "127.0.0.1", in1.port()).setEligible(true);
            assertThat(p0.port()).isEqualTo(base);
            assertThat(p1.port()).as("skips the taken port").isEqualTo(base + 2);
            for (int i = 0; i < 20; i++) {
                assertThat(Clients.askOnce(null, p0.port())).isEqualTo("IN_0");
                assertThat(Clients.askOnce(null, p1.port())).isEqualTo("IN_1");
            }
            assertThatThrownBy(() -> lb.addListener(ListenerSpec.tcp("Role/Rdp/IN_2").portRange(base, base + 2)
                    .build())).isInstanceOf(PortUnavailableException.class).hasMessageContaining("ports " + base);
        }
    }
}
