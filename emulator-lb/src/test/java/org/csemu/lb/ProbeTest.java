package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeTest {

    private static final Duration FAST_INTERVAL = Duration.ofMillis(200);
    private static final Duration FAST_TIMEOUT = Duration.ofMillis(700);

    private VipLoadBalancer lb = VipLoadBalancer.start();
    private LineBackend a;
    private LineBackend b;
    private HttpServer http;

    @AfterEach
    void tearDown() {
        lb.close();
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void modelDefaultsAndMinimumsAreEnforced() {
        ProbeSpec d = ProbeSpec.http("/health", 0);
        assertThat(d.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(31));
        assertThat(ProbeSpec.tcp(80, 5, 11).interval()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> ProbeSpec.tcp(80, 4, 31)).hasMessageContaining("minimum of 5");
        assertThatThrownBy(() -> ProbeSpec.http("/x", 80, 15, 10)).hasMessageContaining("minimum of 11");
        assertThatThrownBy(() -> ProbeSpec.http("nopath", 80)).hasMessageContaining("path");
    }

    @Test
    void httpProbeAnswering500TakesTheBackendOutAtOnceAndRecoveryPutsItBack() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/probe", ex -> {
            ex.sendResponseHeaders(status.get(), -1);
            ex.close();
        });
        http.start();
        a = new LineBackend("A");
        b = new LineBackend("B");
        ProbeSpec probe = ProbeSpec.http("/probe", http.getAddress().getPort())
                .withTestTimingOverride(FAST_INTERVAL, FAST_TIMEOUT);
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").probe(probe).build());
        BackendHandle ha = l.addBackend("A", "127.0.0.1", a.port());
        ha.setEligible(true);
        assertThat(ha.inRotation()).as("not in rotation before the first probe success").isFalse();
        Await.until(Duration.ofSeconds(5), ha::inRotation, "A joins after its first 200");
        assertThat(ha.probeStatus().state()).isEqualTo(ProbeState.UP);
        assertThat(ha.probeStatus().lastResult()).isEqualTo("HTTP 200");
        assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");

        long probesBefore = ha.probeStatus().probes();
        status.set(500);
        Await.until(Duration.ofSeconds(5), () -> !ha.inRotation(), "A leaves on a 500");
        ProbeStatus down = ha.probeStatus();
        assertThat(down.state()).isEqualTo(ProbeState.DOWN);
        assertThat(down.lastResult()).isEqualTo("HTTP 500");
        assertThat(down.consecutiveFailures()).as("out on the first failing result").isEqualTo(1);
        assertThat(down.probes()).isGreaterThan(probesBefore);
        assertThat(down.lastChange()).isNotNull();

        status.set(200);
        Await.until(Duration.ofSeconds(5), ha::inRotation, "A back on the next 200");
        assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
    }

    @Test
    void tcpProbeWhoseServerStopsAcceptingTakesTheBackendOutWithinIntervalPlusTimeout() throws Exception {
        a = new LineBackend("A");
        b = new LineBackend("B");
        ServerSocket probeTarget = new ServerSocket();
        probeTarget.setReuseAddress(true);
        probeTarget.bind(new InetSocketAddress("127.0.0.1", 0));
        int probePort = probeTarget.getLocalPort();
        ProbeSpec probe = ProbeSpec.tcp(probePort, 5, 11).withTestTimingOverride(FAST_INTERVAL, FAST_TIMEOUT);
        BoundListener l = lb.addListener(ListenerSpec.tcp("tcp").probe(probe).build());
        BackendHandle ha = l.addBackend("A", "127.0.0.1", a.port());
        ha.setEligible(true);
        Await.until(Duration.ofSeconds(5), ha::inRotation, "A joins after its first connect");
        assertThat(ha.probeStatus().lastResult()).isEqualTo("tcp connect");

        probeTarget.close();
        long stopped = System.nanoTime();
        Await.until(Duration.ofSeconds(5), () -> !ha.inRotation(), "A leaves once connects fail for the timeout");
        long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
        ProbeStatus down = ha.probeStatus();
        assertThat(down.state()).isEqualTo(ProbeState.DOWN);
        assertThat(down.consecutiveFailures()).isGreaterThanOrEqualTo(1);
        // informative only (no timing assert): the rule is interval + timeout = 900 ms here
        System.out.println("tcp probe took A out after " + tookMillis + " ms; status " + down);

        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress("127.0.0.1", probePort));
            Await.until(Duration.ofSeconds(5), ha::inRotation, "A back after the server accepts again");
            assertThat(ha.probeStatus().consecutiveFailures()).isZero();
        }
    }

    @Test
    void probeDownKeepsEligibleBackendOutAndOthersServe() throws Exception {
        a = new LineBackend("A");
        b = new LineBackend("B");
        ProbeSpec probe = ProbeSpec.tcp(0, 5, 11).withTestTimingOverride(FAST_INTERVAL, FAST_TIMEOUT);
        BoundListener l = lb.addListener(ListenerSpec.tcp("tcp").probe(probe).build());
        BackendHandle ha = l.addBackend("A", "127.0.0.1", a.port());
        BackendHandle hb = l.addBackend("B", "127.0.0.1", b.port());
        ha.setEligible(true);
        hb.setEligible(true);
        Await.until(Duration.ofSeconds(5), () -> ha.inRotation() && hb.inRotation(), "both join");
        a.close(); // the backend's own port is the probe port: it stops accepting
        Await.until(Duration.ofSeconds(5), () -> !ha.inRotation(), "A leaves");
        assertThat(ha.eligible()).isTrue();
        for (int i = 0; i < 50; i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("B");
        }
        a = null;
    }
}
