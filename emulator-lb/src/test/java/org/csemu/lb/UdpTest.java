package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.UdpBackend;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UdpTest {

    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() {
        lb.close();
    }

    @Test
    void forwardsDatagramsBothWaysPerClientFlowAndExpiresIdleFlows() throws Exception {
        try (UdpBackend a = new UdpBackend("A"); UdpBackend b = new UdpBackend("B")) {
            BoundListener l = lb.addListener(ListenerSpec.udp("dns").idleTimeoutForTesting(Duration.ofMillis(400))
                    .build());
            BackendHandle ha = l.addBackend("A", "127.0.0.1", a.port());
            BackendHandle hb = l.addBackend("B", "127.0.0.1", b.port());
            ha.setEligible(true);
            hb.setEligible(true);
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(5000);
                String first = Clients.udpAsk(client, l.port(), "hello");
                assertThat(first).matches("[AB]:hello");
                String who = first.substring(0, 1);
                for (int i = 0; i < 20; i++) { // one flow keeps its backend
                    assertThat(Clients.udpAsk(client, l.port(), "m" + i)).isEqualTo(who + ":m" + i);
                }
                assertThat(l.stats().active()).isEqualTo(1);
                assertThat(l.stats().bytesFromClients()).isGreaterThan(0);
                assertThat(l.stats().bytesToClients()).isGreaterThan(0);
                Await.until(Duration.ofSeconds(5), () -> l.stats().active() == 0, "the idle flow expires");
                assertThat(l.stats().idleClosed()).isEqualTo(1);
                assertThat(Clients.udpAsk(client, l.port(), "again")).matches("[AB]:again");
            }
        }
    }

    @Test
    void datagramsWithNoBackendInRotationAreDroppedAndCounted() throws Exception {
        try (UdpBackend a = new UdpBackend("A")) {
            BoundListener l = lb.addListener(ListenerSpec.udp("dns").build());
            l.addBackend("A", "127.0.0.1", a.port()); // never eligible
            try (DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                client.setSoTimeout(300);
                assertThatThrownBy(() -> Clients.udpAsk(client, l.port(), "x"))
                        .isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(l.stats().refused()).isEqualTo(1);
        }
    }
}
