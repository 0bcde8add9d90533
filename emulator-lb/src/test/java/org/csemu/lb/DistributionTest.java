package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csemu.lb.core.Backend;
import org.csemu.lb.core.RendezvousHash;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.lb.support.Load;
import org.csemu.lb.support.UdpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each mode's promise, with many clients: distinct source ports, and distinct source addresses in 127.0.0.0/8 (the
 * client socket is bound to 127.0.X.Y before connecting).
 */
class DistributionTest {

    /** 3000 in the full build; {@link #assertEvenSpread} widens its band when the fast loop makes fewer. */
    private static final int CLIENTS = Load.count(3000);
    private final List<LineBackend> servers = new ArrayList<>();
    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() {
        lb.close();
        servers.forEach(LineBackend::close);
    }

    private BoundListener threeBackends(Distribution mode) throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web-" + mode).distribution(mode).build());
        for (String n : List.of("A", "B", "C")) {
            LineBackend s = new LineBackend(n);
            servers.add(s);
            l.addBackend(n, "127.0.0.1", s.port()).setEligible(true);
        }
        return l;
    }

    /**
     * Every backend within 10% of an even share at 3000 clients; with fewer, the band widens as the binomial spread
     * does (by the square root), so it stays as many standard deviations wide (~3.9) as 10% at 3000.
     */
    private static void assertEvenSpread(Map<String, Integer> counts, int total, int backends) {
        assertThat(counts).hasSize(backends);
        double even = (double) total / backends;
        double band = 0.10 * Math.sqrt(3000.0 / total);
        for (var e : counts.entrySet()) {
            assertThat((double) e.getValue()).as("share of " + e.getKey() + " in " + counts)
                    .isBetween(even * (1 - band), even * (1 + band));
        }
    }

    @Test
    void fiveTupleKeepsAnEstablishedConnectionAndSpreadsNewOnesEvenly() throws Exception {
        BoundListener l = threeBackends(Distribution.FIVE_TUPLE);
        try (Socket s = Clients.connect(null, l.port())) {
            String first = Clients.ask(s);
            for (int i = 0; i < 200; i++) {
                assertThat(Clients.ask(s)).isEqualTo(first);
            }
        }
        Map<String, Integer> counts = new HashMap<>();
        Set<String> seenFromOneAddress = new HashSet<>();
        for (int i = 0; i < CLIENTS; i++) { // one client address, new source port every time
            String who = Clients.askOnce("127.0.0.9", l.port());
            counts.merge(who, 1, Integer::sum);
            seenFromOneAddress.add(who);
        }
        assertEvenSpread(counts, CLIENTS, 3);
        assertThat(seenFromOneAddress).as("5-tuple is not sticky across connections").hasSize(3);
    }

    @Test
    void sourceIpSendsTheSameClientAddressToTheSameBackendAcrossPortsAndSpreadsAddresses() throws Exception {
        BoundListener l = threeBackends(Distribution.SOURCE_IP);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < CLIENTS; i++) {
            String addr = Clients.clientAddress(i);
            String first = Clients.askOnce(addr, l.port());
            counts.merge(first, 1, Integer::sum);
            if (i % 10 == 0) { // many connections from different ports of the same address
                for (int k = 0; k < 5; k++) {
                    assertThat(Clients.askOnce(addr, l.port())).as("client " + addr).isEqualTo(first);
                }
            } else {
                assertThat(Clients.askOnce(addr, l.port())).as("client " + addr).isEqualTo(first);
            }
        }
        assertEvenSpread(counts, CLIENTS, 3);
    }

    @Test
    void sourceIpProtocolIsStickyPerProtocolAndSpreadsAddresses() throws Exception {
        BoundListener tcp = threeBackends(Distribution.SOURCE_IP_PROTOCOL);
        BoundListener udp = lb.addListener(ListenerSpec.udp("udp").distribution(Distribution.SOURCE_IP_PROTOCOL)
                .build());
        List<UdpBackend> udpServers = new ArrayList<>();
        try {
            for (String n : List.of("A", "B", "C")) {
                UdpBackend u = new UdpBackend(n);
                udpServers.add(u);
                udp.addBackend(n, "127.0.0.1", u.port()).setEligible(true);
            }
            Map<String, Integer> tcpCounts = new HashMap<>();
            Map<String, Integer> udpCounts = new HashMap<>();
            for (int i = 0; i < CLIENTS; i++) {
                String addr = Clients.clientAddress(i);
                String t1 = Clients.askOnce(addr, tcp.port());
                assertThat(Clients.askOnce(addr, tcp.port())).isEqualTo(t1);
                tcpCounts.merge(t1, 1, Integer::sum);
                String u1 = null;
                for (int k = 0; k < 2; k++) { // two source ports of the same address
                    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(addr, 0))) {
                        s.setSoTimeout(5000);
                        String who = Clients.udpAsk(s, udp.port(), "x").split(":")[0];
                        if (u1 == null) {
                            u1 = who;
                        } else {
                            assertThat(who).as("udp client " + addr).isEqualTo(u1);
                        }
                    }
                }
                udpCounts.merge(u1, 1, Integer::sum);
            }
            assertEvenSpread(tcpCounts, CLIENTS, 3);
            assertEvenSpread(udpCounts, CLIENTS, 3);
        } finally {
            udpServers.forEach(UdpBackend::close);
        }
    }

    /** Rendezvous hashing: removing one of four backends moves only the keys it owned. */
    @Test
    void rotationChangesRemapOnlyTheKeysOfTheBackendThatLeft() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("hrw").build());
        List<Backend> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add((Backend) l.addBackend("WebRole_IN_" + i, "127.0.0.1", 10_000 + i));
        }
        Backend[] four = all.toArray(new Backend[0]);
        Backend[] three = all.subList(0, 3).toArray(new Backend[0]);
        int moved = 0;
        int owned = 0;
        for (int k = 0; k < 100_000; k++) {
            long key = RendezvousHash.key(k, k * 7, 1, 80, 6);
            Backend before = RendezvousHash.pick(four, key);
            Backend after = RendezvousHash.pick(three, key);
            if (before == all.get(3)) {
                owned++;
            } else if (before != after) {
                moved++;
            }
        }
        assertThat(moved).isZero();
        assertThat(owned).isBetween(22_500, 27_500);
    }
}
