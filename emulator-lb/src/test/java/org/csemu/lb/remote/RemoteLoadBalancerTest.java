package org.csemu.lb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.ProbeSpec;
import org.csemu.testing.Await;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The VIP in its own process ({@link LbHost}, started for real): it keeps serving, established connections included,
 * when its controller disconnects without a word; a new controller adopts what it declares and reconciles the rest.
 */
class RemoteLoadBalancerTest {

    @TempDir
    Path dir;
    private LineBackend a;
    private LineBackend b;

    private Path socket() {
        return dir.resolve("lb.sock");
    }

    private RemoteLoadBalancer adopt() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", System.getProperty("java.class.path"), LbHost.class.getName(), socket().toString());
        // a watchdog every 200 ms instead of 2 s: the killed process is noticed sooner, by the same code
        return RemoteLoadBalancer.adopt(socket(), command, dir.resolve("lb.log"), Duration.ofSeconds(30),
                Duration.ofMillis(200));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (RemoteLoadBalancer.answers(socket())) {
            RemoteLoadBalancer.connect(socket()).shutdown();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void theVipOutlivesItsControllerAndTheNextOneAdoptsAndReconciles() throws Exception {
        a = new LineBackend("A");
        b = new LineBackend("B");
        RemoteLoadBalancer first = adopt();
        assertThat(first.startedProcess()).isTrue();
        ListenerSpec web = ListenerSpec.tcp("web/http").build();
        BoundListener l = first.addListener(web);
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        l.addBackend("B", "127.0.0.1", b.port()); // not eligible
        first.addListener(ListenerSpec.tcp("old/http").probe(ProbeSpec.tcp(0)).build());
        // a freshly started JVM on a loaded machine may take longer than a client's 5 s read timeout to answer first
        Await.until(Duration.ofSeconds(60), () -> {
            try {
                return "A".equals(Clients.askOnce(null, l.port()));
            } catch (java.io.IOException e) {
                return false;
            }
        }, "the LB process forwarding");

        try (Socket established = Clients.connect(null, l.port())) {
            assertThat(Clients.ask(established)).isEqualTo("A");
            first.close(); // the controller is gone (as after a SIGKILL: its socket just closes)
            for (int i = 0; i < 20; i++) {
                assertThat(Clients.askOnce(null, l.port())).as("new connections with no controller").isEqualTo("A");
            }
            assertThat(Clients.ask(established)).as("the established connection").isEqualTo("A");

            RemoteLoadBalancer next = adopt();
            assertThat(next.startedProcess()).as("adopted, not restarted").isFalse();
            assertThat(next.pid()).isEqualTo(first.pid());
            BoundListener again = next.addListener(web);
            assertThat(again.port()).as("the same listener, adopted").isEqualTo(l.port());
            BackendHandle ha = again.addBackend("A", "127.0.0.1", a.port());
            assertThat(ha.eligible()).as("keeps the last rotation until told otherwise").isTrue();
            assertThat(Clients.ask(established)).isEqualTo("A");
            assertThat(next.reconcile()).as("B and the old listener were not declared").isEqualTo(2);
            assertThat(next.listeners()).extracting(x -> x.spec().name()).containsExactly("web/http");
            assertThat(again.backends()).extracting(BackendHandle::id).containsExactly("A");
            assertThat(Clients.ask(established)).isEqualTo("A");
            assertThat(again.stats().accepted()).isGreaterThanOrEqualTo(22);
            assertThat(ha.stats().connections()).isEqualTo(again.stats().accepted());
            next.shutdown();
        } catch (AssertionError e) {
            System.err.println(Files.exists(dir.resolve("lb.log")) ? Files.readString(dir.resolve("lb.log")) : "");
            throw e;
        }
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(socket()), "the process stopped");
    }

    /** The LB process is SIGKILLed: its controller starts a new one by itself, on the same port, same rotation. */
    @Test
    void aKilledLbProcessIsStartedAgainWithTheSamePortAndTheLastRotation() throws Exception {
        a = new LineBackend("A");
        b = new LineBackend("B");
        RemoteLoadBalancer lb = adopt();
        BoundListener l = lb.addListener(ListenerSpec.tcp("web/http").build());
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        l.addBackend("B", "127.0.0.1", b.port()); // not eligible
        Await.until(Duration.ofSeconds(60), () -> answers(l.port(), "A"), "the LB process forwarding");
        long killed = lb.pid();
        ProcessHandle victim = ProcessHandle.of(killed).orElseThrow();
        victim.destroyForcibly(); // SIGKILL
        victim.onExit().join();

        // nobody calls the controller: its watchdog notices within a couple of seconds
        Await.until(Duration.ofSeconds(60), () -> lb.restarts() == 1 && answers(l.port(), "A"),
                "a new LB process serving the VIP again");
        assertThat(lb.pid()).isNotEqualTo(killed);
        assertThat(ProcessHandle.of(lb.pid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        for (int i = 0; i < 20; i++) {
            assertThat(Clients.askOnce(null, l.port())).as("B is still out of rotation").isEqualTo("A");
        }
        assertThat(l.backends()).extracting(BackendHandle::id).containsExactly("A", "B");
        lb.shutdown();
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(socket()), "the process stopped");
        assertThat(lb.restarts()).as("a shutdown is not a death: not started again").isEqualTo(1);
    }

    private static boolean answers(int port, String expected) {
        try {
            return expected.equals(Clients.askOnce(null, port));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
