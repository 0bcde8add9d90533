package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.lb.support.UdpBackend;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoint ACLs on the VIP: clients bound to distinct loopback source addresses (127.0.0.2 permitted, 127.0.0.3
 * denied; Linux routes all of 127/8 to lo without setup) and the cloud's rule semantics.
 */
class AccessControlTest {

    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() {
        lb.close();
    }

    private static InetAddress ip(String a) throws IOException {
        return InetAddress.getByName(a);
    }

    /** Permits one client address, denies the rest of loopback. */
    private static AccessControlList onlyTwo() {
        return new AccessControlList("only-2", List.of(AclRule.deny(200, "127.0.0.0/8"),
                AclRule.permit(100, "127.0.0.2/32")));
    }

    @Test
    void aDeniedSourceIsClosedAtAcceptWithoutReachingABackendAndIsCounted() throws Exception {
        try (LineBackend a = new LineBackend("A")) {
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").accessControl(onlyTwo()).build());
            l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);

            assertThat(Clients.askOnce("127.0.0.2", l.port())).isEqualTo("A");
            try (Socket denied = Clients.connect("127.0.0.3", l.port())) {
                assertThat(closedWithoutAnswer(denied)).isTrue();
            }
            assertThat(Clients.askOnce("127.0.0.2", l.port())).isEqualTo("A");

            ListenerStats s = l.stats();
            assertThat(s.deniedByAcl()).isEqualTo(1);
            assertThat(s.accepted()).isEqualTo(3);
            assertThat(s.refused()).isZero();
            assertThat(a.accepted.get()).isEqualTo(2); // the denied connection never reached the backend
        }
    }

    @Test
    void aChangedAclDecidesNewConnectionsAndLeavesAdmittedOnesAlone() throws Exception {
        try (LineBackend a = new LineBackend("A")) {
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").accessControl(onlyTwo()).build());
            l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
            try (Socket admitted = Clients.connect("127.0.0.2", l.port())) {
                assertThat(Clients.ask(admitted)).isEqualTo("A");
                AccessControlList onlyThree = new AccessControlList("only-3", List.of(
                        AclRule.permit(100, "127.0.0.3/32")));
                l.changeAccessControl(onlyThree);
                assertThat(l.spec().accessControl()).isEqualTo(onlyThree);
                assertThat(Clients.askOnce("127.0.0.3", l.port())).as("permitted now").isEqualTo("A");
                try (Socket denied = Clients.connect("127.0.0.2", l.port())) {
                    assertThat(closedWithoutAnswer(denied)).as("denied now: unmatched, the list permits").isTrue();
                }
                assertThat(Clients.ask(admitted)).as("the connection admitted before the change").isEqualTo("A");
                l.changeAccessControl(null);
                assertThat(Clients.askOnce("127.0.0.2", l.port())).as("no ACL: every source").isEqualTo("A");
                assertThat(l.stats().deniedByAcl()).isEqualTo(1);
            }
        }
    }

    @Test
    void aListenerWithoutAclPermitsEverySource() throws Exception {
        try (LineBackend a = new LineBackend("A")) {
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
            l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
            assertThat(Clients.askOnce("127.0.0.2", l.port())).isEqualTo("A");
            assertThat(Clients.askOnce("127.0.0.3", l.port())).isEqualTo("A");
            assertThat(l.stats().deniedByAcl()).isZero();
        }
    }

    @Test
    void aDeniedUdpSourceIsDroppedAndCounted() throws Exception {
        try (UdpBackend a = new UdpBackend("A")) {
            BoundListener l = lb.addListener(ListenerSpec.udp("dns").accessControl(onlyTwo()).build());
            l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
            try (DatagramSocket ok = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
                 DatagramSocket no = new DatagramSocket(new InetSocketAddress("127.0.0.3", 0))) {
                ok.setSoTimeout(5000);
                assertThat(Clients.udpAsk(ok, l.port(), "hi")).isEqualTo("A:hi");
                byte[] hi = "hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                no.send(new java.net.DatagramPacket(hi, hi.length, ip("127.0.0.1"), l.port()));
                Await.until(Duration.ofSeconds(5), () -> l.stats().deniedByAcl() == 1, "the datagram counted as denied");
                // counted means handled: dropped, so nothing is on its way back
                no.setSoTimeout(200);
                assertThatThrownBy(() -> no.receive(new java.net.DatagramPacket(new byte[64], 64)))
                        .isInstanceOf(SocketTimeoutException.class);
                assertThat(l.stats().accepted()).isEqualTo(2);
            }
        }
    }

    @Test
    void theLowestOrderMatchingRuleDecides() throws Exception {
        AccessControlList acl = new AccessControlList("x", List.of(AclRule.permit(20, "127.0.0.0/8"),
                AclRule.deny(10, "127.0.0.3/32")));
        assertThat(acl.rules()).extracting(AclRule::order).containsExactly(10, 20);
        assertThat(acl.permits(ip("127.0.0.3"))).isFalse();
        assertThat(acl.permits(ip("127.0.0.2"))).isTrue();
    }

    @Test
    void anUnmatchedSourceIsDeniedWhenTheListPermitsSomethingAndPermittedWhenItOnlyDenies() throws Exception {
        AccessControlList permits = new AccessControlList("p", List.of(AclRule.permit(1, "10.0.0.0/8")));
        assertThat(permits.permits(ip("127.0.0.2"))).isFalse();
        AccessControlList denies = new AccessControlList("d", List.of(AclRule.deny(1, "10.0.0.0/8")));
        assertThat(denies.permits(ip("127.0.0.2"))).isTrue();
        assertThat(denies.permits(ip("10.1.2.3"))).isFalse();
    }

    @Test
    void twoRulesWithOneOrderAreRefusedNamingTheList() {
        assertThatThrownBy(() -> new AccessControlList("office", List.of(AclRule.permit(5, "127.0.0.2/32"),
                AclRule.deny(5, "127.0.0.0/8"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'office'").hasMessageContaining("order 5");
    }

    @Test
    void subnetsParseMatchAndRejectBadCidrsClearly() throws Exception {
        Subnet s = Subnet.parse("127.0.0.0/8");
        assertThat(s.contains(ip("127.200.1.1"))).isTrue();
        assertThat(s.contains(ip("128.0.0.1"))).isFalse();
        assertThat(s.contains(ip("::ffff:127.0.0.9"))).isTrue();
        assertThat(s.contains(ip("::1"))).isFalse();
        assertThat(Subnet.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
        assertThat(Subnet.parse("127.0.0.2").toString()).isEqualTo("127.0.0.2/32");
        for (String bad : List.of("127.0.0/8", "127.0.0.1/33", "300.0.0.0/8", "abc", "10.0.0.0/x", "")) {
            assertThatThrownBy(() -> Subnet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("a.b.c.d/n");
        }
        assertThatThrownBy(() -> Subnet.parse("10.1.2.3/8")).hasMessageContaining("use 10.0.0.0/8");
    }

    /** True when the proxy closed the connection (EOF or reset) instead of answering the line. */
    private static boolean closedWithoutAnswer(Socket s) throws IOException {
        try {
            s.getOutputStream().write('\n');
            s.getOutputStream().flush();
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }
}
