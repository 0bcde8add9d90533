package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.csemu.testing.Await;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection whose backend fails before sending a byte (refused, reset, closed without an answer) goes to another
 * backend in rotation with the client's bytes replayed; the client sees its answer. A refusal or reset ejects the
 * backend until the fabric, the probe or the readmission connect says it is back.
 */
class RedispatchTest {

    private final VipLoadBalancer lb = VipLoadBalancer.start();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        lb.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private LineBackend line(String name) throws InterruptedException {
        LineBackend b = new LineBackend(name);
        closeables.add(b);
        return b;
    }

    private static int deadPort() throws IOException {
        try (ServerSocket tmp = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return tmp.getLocalPort();
        }
    }

    @Test
    void connectionsToARefusingBackendAreServedByAnotherAndItIsEjectedAtOnce() throws Exception {
        LineBackend a = line("A");
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        BackendHandle dead = l.addBackend("D", "127.0.0.1", deadPort());
        dead.setEligible(true);
        for (int i = 0; i < 200; i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
        BackendStats d = dead.stats();
        assertThat(d.connectFailures()).as("only the connections picked before the ejection tried it").isEqualTo(1);
        assertThat(d.redispatched()).isEqualTo(1);
        assertThat(d.ejected()).isTrue();
        assertThat(d.ejections()).isEqualTo(1);
        assertThat(dead.inRotation()).isFalse();
        assertThat(dead.eligible()).as("the fabric's switch is untouched").isTrue();
        assertThat(l.stats().refused()).isZero();

        dead.setEligible(true); // the fabric says it is back (e.g. the instance is Ready again)
        assertThat(dead.stats().ejected()).isFalse();
        assertThat(dead.inRotation()).isTrue();
    }

    @Test
    void aProbelessListenerReadmitsAnEjectedBackendOnceItAcceptsAgain() throws Exception {
        LineBackend a = line("A");
        int port = deadPort();
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").idleTimeoutForTesting(Duration.ofSeconds(2)).build());
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        BackendHandle b = l.addBackend("B", "127.0.0.1", port);
        b.setEligible(true);
        for (int i = 0; i < 50 && !b.stats().ejected(); i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
        assertThat(b.stats().ejected()).isTrue();
        LineBackend back = new LineBackend("B", port); // the backend listens again
        closeables.add(back);
        Await.until(Duration.ofSeconds(10), b::inRotation, "B readmitted by the listener's readmission connect");
        assertThat(b.stats().ejected()).isFalse();
        Await.until(Duration.ofSeconds(10), () -> {
            try {
                return "B".equals(Clients.askOnce(Clients.clientAddress(7), l.port()))
                        || "B".equals(Clients.askOnce(Clients.clientAddress(8), l.port()));
            } catch (IOException e) {
                return false;
            }
        }, "B serving again");
    }

    @Test
    void aBackendThatClosesWithoutAnAnswerHasTheRequestReplayedElsewhere() throws Exception {
        LineBackend a = line("A");
        SilentBackend silent = new SilentBackend(false);
        closeables.add(silent);
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        BackendHandle s = l.addBackend("S", "127.0.0.1", silent.port());
        s.setEligible(true);
        for (int i = 0; i < 100; i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
        BackendStats st = s.stats();
        assertThat(st.redispatched()).as("every connection it got was moved").isEqualTo(st.connections());
        assertThat(st.connections()).isPositive();
        assertThat(silent.served.get()).isEqualTo(st.connections());
        assertThat(st.ejected()).as("a clean close is no proof of a dead backend").isFalse();
        assertThat(a.accepted.get()).isEqualTo(100);
    }

    @Test
    void aBackendThatResetsBeforeAnsweringIsEjectedAndTheRequestReplayed() throws Exception {
        LineBackend a = line("A");
        SilentBackend resetting = new SilentBackend(true);
        closeables.add(resetting);
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        BackendHandle r = l.addBackend("R", "127.0.0.1", resetting.port());
        r.setEligible(true);
        for (int i = 0; i < 100; i++) {
            assertThat(Clients.askOnce(null, l.port())).isEqualTo("A");
        }
        BackendStats st = r.stats();
        // the readmission connect (it accepts) may let it back in between the requests; each time it is out again
        assertThat(st.connections()).isPositive();
        assertThat(st.resets()).isEqualTo(st.connections());
        assertThat(st.redispatched()).isEqualTo(st.connections());
        assertThat(st.ejections()).isEqualTo(st.connections());
        assertThat(a.accepted.get()).isEqualTo(100);
    }

    @Test
    void retriesAreBoundedAndAnEjectionNeverEmptiesTheRotation() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        List<BackendHandle> dead = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            BackendHandle b = l.addBackend("D" + i, "127.0.0.1", deadPort());
            b.setEligible(true);
            dead.add(b);
        }
        try (Socket s = Clients.connect(null, l.port())) {
            s.getOutputStream().write('\n');
            assertThat(readOrReset(s.getInputStream())).isEqualTo(-1);
        }
        Await.until(Duration.ofSeconds(5),
                () -> dead.stream().mapToLong(b -> b.stats().connectFailures()).sum() == 3, "three attempts");
        assertThat(dead.stream().mapToLong(b -> b.stats().redispatched()).sum()).isEqualTo(2);
        // every later connection is refused by the remaining backends; the last one in rotation is never ejected
        for (int i = 0; i < 20; i++) {
            try (Socket s = Clients.connect(null, l.port())) {
                s.getOutputStream().write('\n');
                assertThat(readOrReset(s.getInputStream())).isEqualTo(-1);
            }
        }
        Await.until(Duration.ofSeconds(5), () -> dead.stream().filter(BackendHandle::inRotation).count() == 1,
                "one left in rotation");
        assertThat(l.stats().refused()).as("the rotation never emptied").isZero();
    }

    @Test
    void afterTheBackendsFirstByteAFailureIsTheClientsNotRetried() throws Exception {
        LineBackend a = new LineBackend("A"); // closed by the test
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle h = l.addBackend("A", "127.0.0.1", a.port());
        h.setEligible(true);
        LineBackend b = line("B");
        BackendHandle hb = l.addBackend("B", "127.0.0.1", b.port());
        try (Socket s = Clients.connect(null, l.port())) {
            assertThat(Clients.ask(s)).isEqualTo("A");
            hb.setEligible(true);
            a.close(); // closes its connections: after an answer, nothing is replayed
            assertThat(readOrReset(s.getInputStream())).isEqualTo(-1);
        }
        assertThat(h.stats().redispatched()).isZero();
        assertThat(b.accepted.get()).isZero();
    }

    private static int readOrReset(InputStream in) throws IOException {
        try {
            return in.read();
        } catch (SocketException reset) { // closed with our byte unread: the kernel answers with a reset
            return -1;
        }
    }

    /** Accepts, reads the first line, then closes without a byte (or resets, with SO_LINGER 0). */
    private static final class SilentBackend implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        final AtomicLong served = new AtomicLong();

        SilentBackend(boolean reset) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getInputStream().read();
                        served.incrementAndGet();
                        if (reset) {
                            s.setSoLinger(true, 0);
                        }
                    } catch (IOException e) {
                        // closed by close(), or a client gone
                    }
                }
            }, "silent-backend");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5000);
        }
    }
}
