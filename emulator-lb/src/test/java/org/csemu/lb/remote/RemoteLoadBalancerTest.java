package org.csemu.lb.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.AclRule;
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

    /**
     * An ACL change reaches the LB process; a controller that comes back and declares the listener with another ACL
     * (it stored a configuration update whose ACL it had not applied yet) updates it in place: the listener, its
     * port and its established connections stay.
     */
    @Test
    void anAclChangeReachesTheLbProcessAndARedeclarationUpdatesItInPlace() throws Exception {
        a = new LineBackend("A");
        RemoteLoadBalancer first = adopt();
        AccessControlList onlyTwo = new AccessControlList("only-2", List.of(AclRule.permit(1, "127.0.0.2/32")));
        ListenerSpec web = ListenerSpec.tcp("web/http").build();
        BoundListener l = first.addListener(web);
        l.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        Await.until(Duration.ofSeconds(60), () -> answers(l.port(), "A"), "the LB process forwarding");

        l.changeAccessControl(onlyTwo);
        assertThat(l.spec().accessControl()).isEqualTo(onlyTwo);
        assertThat(first.listeners().get(0).spec().accessControl()).as("the LB process has it").isEqualTo(onlyTwo);
        assertThat(Clients.askOnce("127.0.0.2", l.port())).isEqualTo("A");
        assertThat(Clients.askOnceOrClosed("127.0.0.3", l.port())).as("denied").isNull();

        try (Socket established = Clients.connect("127.0.0.2", l.port())) {
            assertThat(Clients.ask(established)).isEqualTo("A");
            first.close();
            RemoteLoadBalancer next = adopt();
            BoundListener again = next.addListener(web); // declared without the ACL
            assertThat(again.port()).isEqualTo(l.port());
            assertThat(next.listeners().get(0).spec().accessControl()).as("updated in place").isNull();
            assertThat(Clients.askOnce("127.0.0.3", l.port())).isEqualTo("A");
            assertThat(Clients.ask(established)).as("the listener was not rebound").isEqualTo("A");
            next.shutdown();
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

    /** A swap over the control socket; a new LB process (the old one SIGKILLed) comes back on the swapped ports. */
    @Test
    void aSwapIsKeptByTheProcessAndByTheNextOneAfterAKill() throws Exception {
        a = new LineBackend("A");
        b = new LineBackend("B");
        RemoteLoadBalancer lb = adopt();
        BoundListener pa = lb.addListener(ListenerSpec.tcp("prod/http").build());
        BoundListener pb = lb.addListener(ListenerSpec.tcp("stage/http").build());
        pa.addBackend("A", "127.0.0.1", a.port()).setEligible(true);
        pb.addBackend("B", "127.0.0.1", b.port()).setEligible(true);
        Await.until(Duration.ofSeconds(60), () -> answers(pa.port(), "A"), "the LB process forwarding");
        lb.swapPorts("prod/http", "stage/http");
        assertThat(Clients.askOnce(null, pa.port())).isEqualTo("B");
        assertThat(lb.listener("prod/http").orElseThrow().port()).isEqualTo(pb.port());

        ProcessHandle victim = ProcessHandle.of(lb.pid()).orElseThrow();
        victim.destroyForcibly();
        victim.onExit().join();
        Await.until(Duration.ofSeconds(60), () -> lb.restarts() == 1 && answers(pa.port(), "B"),
                "a new LB process serving the swapped VIP");
        assertThat(Clients.askOnce(null, pb.port())).isEqualTo("A");
        lb.shutdown();
        // the process answers BYE, then closes its socket: until it is gone, tearDown would find it still there
        Await.until(Duration.ofSeconds(10), () -> !Files.exists(socket()), "the process stopped");
    }

    private static boolean answers(int port, String expected) {
        try {
            return expected.equals(Clients.askOnce(null, port));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
