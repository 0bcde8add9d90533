package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.csemu.lb.net.Transport;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ForwardingTest {

    private final VipLoadBalancer lb = VipLoadBalancer.start();
    private LineBackend line;

    @AfterEach
    void tearDown() {
        lb.close();
        if (line != null) {
            line.close();
        }
    }

    /** Runs under the default transport and again under epoll (the surefire pass {@code epoll-pass}). */
    @Test
    void usesTheNativeTransportOnLinux() {
        String forced = System.getProperty(Transport.PROPERTY);
        // io_uring by default, epoll where the kernel does not allow io_uring (sysctl, seccomp)
        String expected = io.netty.channel.uring.IoUring.isAvailable() ? Transport.DEFAULT_NATIVE.label() : "epoll";
        assertThat(lb.transportName()).isEqualTo(forced == null || forced.isBlank() ? expected : forced);
    }

    @Test
    void theNioFallbackForwardsToo() throws Exception {
        line = new LineBackend("A");
        try (VipLoadBalancer nio = VipLoadBalancer.start(new VipLoadBalancer.Options(2, false, false))) {
            assertThat(nio.transportName()).isEqualTo("nio");
            BoundListener l = nio.addListener(ListenerSpec.tcp("web").build());
            l.addBackend("A", "127.0.0.1", line.port()).setEligible(true);
            for (int i = 0; i < 50; i++) {
                assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
            }
            try (Socket s = Clients.connect(null, l.port())) {
                s.getOutputStream().write("x\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("A\nbye\n");
            }
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeoutAndActiveOnesAreNot() throws Exception {
        line = new LineBackend("A");
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").idleTimeoutForTesting(Duration.ofMillis(400))
                .build());
        l.addBackend("A", "127.0.0.1", line.port()).setEligible(true);
        try (Socket busy = Clients.connect(null, l.port()); Socket idle = Clients.connect(null, l.port())) {
            assertThat(Clients.ask(idle)).isEqualTo("A");
            long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
            while (System.nanoTime() < end) { // busy talks every 50 ms for three idle timeouts
                assertThat(Clients.ask(busy)).isEqualTo("A");
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            assertThat(idle.getInputStream().read()).as("idle connection closed").isEqualTo(-1);
            assertThat(Clients.ask(busy)).isEqualTo("A");
        }
        assertThat(l.stats().idleClosed()).isEqualTo(1);
    }

    @Test
    void idleTimeoutFollowsTheModelRange() {
        assertThat(ListenerSpec.tcp("x").build().idleTimeout()).isEqualTo(Duration.ofMinutes(4));
        assertThat(ListenerSpec.tcp("x").idleTimeoutMinutes(30).build().idleTimeout()).hasMinutes(30);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ListenerSpec.tcp("x").idleTimeoutMinutes(3))
                .hasMessageContaining("outside 4-30");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ListenerSpec.tcp("x").idleTimeoutMinutes(31))
                .hasMessageContaining("outside 4-30");
    }

    @Test
    void halfCloseIsForwardedAndTheResponseStillArrives() throws Exception {
        line = new LineBackend("A");
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        l.addBackend("A", "127.0.0.1", line.port()).setEligible(true);
        try (Socket s = Clients.connect(null, l.port())) {
            s.getOutputStream().write("one\ntwo\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            // the backend answers each line, then sees our FIN (forwarded as shutdownOutput) and says bye
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(all).isEqualTo("A\nA\nbye\n");
        }
        Await.until(Duration.ofSeconds(5), () -> l.stats().active() == 0, "relay closed after both directions ended");
    }

    /**
     * nginx's lingering close: the backend answers, shuts its output down and waits for the client to close. The
     * FIN must reach the client, and once the client closes, both channels must close (no CLOSE-WAIT leak).
     */
    @Test
    void aBackendHalfCloseReachesTheClientAndBothSidesCloseAfterTheClientDoes() throws Exception {
        try (ServerSocket lingering = new ServerSocket()) {
            lingering.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread server = new Thread(() -> {
                for (int i = 0; i < 50; i++) {
                    try (Socket s = lingering.accept()) {
                        s.getInputStream().read();
                        s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                        s.shutdownOutput();
                        s.getInputStream().read(); // -1 once the client's close is forwarded
                    } catch (IOException ignored) {
                        // counted by the client side
                    }
                }
            });
            server.start();
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
            l.addBackend("L", "127.0.0.1", lingering.getLocalPort()).setEligible(true);
            for (int i = 0; i < 50; i++) {
                try (Socket s = Clients.connect(null, l.port())) {
                    s.getOutputStream().write('G');
                    byte[] all = s.getInputStream().readAllBytes(); // ends at the forwarded FIN
                    assertThat(new String(all, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 OK");
                }
            }
            server.join(10_000);
            Await.until(Duration.ofSeconds(5), () -> l.stats().active() == 0, "every relay closed");
        }
    }

    /** The backend streams 256 MB as fast as it can; the client reads slowly. The proxy must not buffer it. */
    @Test
    void aSlowReaderBackpressuresTheBackendAndTheProxyBuffersStayBounded() throws Exception {
        long total = 256L * 1024 * 1024;
        try (ServerSocket streamer = new ServerSocket()) {
            streamer.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread server = new Thread(() -> {
                try (Socket s = streamer.accept(); OutputStream out = s.getOutputStream()) {
                    byte[] chunk = new byte[64 * 1024];
                    for (long sent = 0; sent < total; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException ignored) {
                    // the test fails on the byte count
                }
            });
            server.start();
            BoundListener l = lb.addListener(ListenerSpec.tcp("stream").build());
            l.addBackend("S", "127.0.0.1", streamer.getLocalPort()).setEligible(true);
            long received = 0;
            long maxQueuedSeen = 0;
            try (Socket s = new Socket()) {
                s.setReceiveBufferSize(64 * 1024);
                s.setSoTimeout(10_000);
                s.connect(new InetSocketAddress("127.0.0.1", l.port()));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[16 * 1024];
                int n;
                long reads = 0;
                while ((n = in.read(buf)) != -1) {
                    received += n;
                    if (++reads % 64 == 0) { // slow reader: ~1 MB, then a pause
                        LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
                        maxQueuedSeen = Math.max(maxQueuedSeen, l.stats().peakQueuedBytes());
                    }
                }
            }
            server.join(10_000);
            assertThat(received).isEqualTo(total);
            ListenerStats stats = l.stats();
            System.out.println("slow reader: peak queued " + stats.peakQueuedBytes() + " bytes for " + total);
            assertThat(stats.peakQueuedBytes()).as("backpressure engaged").isGreaterThan(0);
            assertThat(stats.peakQueuedBytes()).as("at most a few high-water marks (64 KiB) queued")
                    .isLessThanOrEqualTo(4L * 64 * 1024);
            assertThat(stats.bytesToClients()).isEqualTo(total);
        }
    }

    @Test
    void aBackendResetMidStreamClosesTheClientIsCountedAndTheLbStaysHealthy() throws Exception {
        line = new LineBackend("A");
        try (ServerSocket resetter = new ServerSocket()) {
            resetter.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread server = new Thread(() -> {
                try (Socket s = resetter.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write(new byte[256 * 1024]);
                    out.flush();
                    s.getInputStream().read(); // wait until the client spoke, so data is mid-flight
                    out.write(new byte[256 * 1024]);
                    s.setSoLinger(true, 0); // RST
                } catch (IOException ignored) {
                    // the client side asserts
                }
            });
            server.start();
            BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
            BackendHandle r = l.addBackend("R", "127.0.0.1", resetter.getLocalPort());
            r.setEligible(true);
            try (Socket s = Clients.connect(null, l.port())) {
                InputStream in = s.getInputStream();
                in.readNBytes(1024);
                s.getOutputStream().write('x');
                boolean closed = false;
                try {
                    while (in.read(new byte[8192]) != -1) {
                        // drain until the proxy closes us
                    }
                    closed = true;
                } catch (SocketException reset) {
                    closed = true;
                }
                assertThat(closed).isTrue();
            }
            server.join(10_000);
            Await.until(Duration.ofSeconds(5), () -> r.stats().resets() == 1, "the reset is counted");
            Await.until(Duration.ofSeconds(5), () -> l.stats().active() == 0, "the relay is gone");
            r.setEligible(false);
            l.addBackend("A", "127.0.0.1", line.port()).setEligible(true);
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
    }

    @Test
    void countersTrackConnectionsAndBytesPerListenerAndBackend() throws Exception {
        line = new LineBackend("A");
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle a = l.addBackend("A", "127.0.0.1", line.port());
        a.setEligible(true);
        for (int i = 0; i < 10; i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
        Await.until(Duration.ofSeconds(5), () -> l.stats().active() == 0, "all closed");
        ListenerStats s = l.stats();
        assertThat(s.accepted()).isEqualTo(10);
        assertThat(s.bytesFromClients()).isEqualTo(10);
        // "A\n" per request, then "bye\n" when the client's FIN is forwarded: 6 bytes per connection
        assertThat(s.bytesToClients()).isEqualTo(60);
        BackendStats b = s.backends().get(0);
        assertThat(b.connections()).isEqualTo(10);
        assertThat(b.bytesToBackend()).isEqualTo(10);
        assertThat(b.bytesFromBackend()).isEqualTo(60);
        assertThat(b.inRotation()).isTrue();
    }

    @Test
    void aBackendThatRefusesConnectsClosesTheClientAndIsCounted() throws Exception {
        int deadPort;
        try (ServerSocket tmp = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            deadPort = tmp.getLocalPort();
        }
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle d = l.addBackend("D", "127.0.0.1", deadPort);
        d.setEligible(true);
        try (Socket s = Clients.connect(null, l.port())) {
            s.getOutputStream().write('\n');
            int r;
            try {
                r = s.getInputStream().read();
            } catch (SocketException reset) { // closed with our byte unread: the kernel answers with a reset
                r = -1;
            }
            assertThat(r).isEqualTo(-1);
        }
        Await.until(Duration.ofSeconds(5), () -> d.stats().connectFailures() == 1, "counted");
    }
}
