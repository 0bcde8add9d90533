package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.lb.support.Load;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DrainingTest {

    private final List<LineBackend> servers = new ArrayList<>();
    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() {
        lb.close();
        servers.forEach(LineBackend::close);
    }

    private BackendHandle add(BoundListener l, String name) throws Exception {
        LineBackend s = new LineBackend(name);
        servers.add(s);
        BackendHandle h = l.addBackend(name, "127.0.0.1", s.port());
        h.setEligible(true);
        return h;
    }

    @Test
    void aLongLivedConnectionKeepsWorkingAfterItsBackendLeavesAndNewConnectionsGoElsewhere() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle a = add(l, "A");
        BackendHandle b = add(l, "B");
        try (Socket s = Clients.connect(null, l.port())) {
            String first = Clients.ask(s);
            BackendHandle mine = first.equals("A") ? a : b;
            String other = first.equals("A") ? "B" : "A";
            mine.setEligible(false);
            for (int i = 0; i < 100; i++) {
                assertThat(Clients.askOnce(null, l.port())).isEqualTo(other);
                assertThat(Clients.ask(s)).as("existing connection drains, not cut").isEqualTo(first);
            }
            assertThat(mine.stats().active()).isEqualTo(1);
        }
    }

    @Test
    void drainDeadlineClosesConnectionsThatOutliveIt() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").drainTimeout(Duration.ofMillis(300)).build());
        BackendHandle a = add(l, "A");
        add(l, "B");
        try (Socket s = Clients.connect(null, l.port())) {
            String first = Clients.ask(s);
            BackendHandle mine = first.equals("A") ? a : l.backends().get(1);
            mine.setEligible(false);
            assertThat(Clients.ask(s)).isEqualTo(first);
            s.setSoTimeout(5000);
            assertThat(s.getInputStream().read()).as("closed by the drain deadline").isEqualTo(-1);
        }
        assertThat(l.stats().drainClosed()).isEqualTo(1);
    }

    @Test
    void whenTheWholeRotationEmptiesExistingConnectionsAreClosed() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle a = add(l, "A");
        try (Socket s = Clients.connect(null, l.port())) {
            assertThat(Clients.ask(s)).isEqualTo("A");
            a.setEligible(false);
            assertThat(s.getInputStream().read()).as("Basic LB: all down terminates flows").isEqualTo(-1);
        }
        assertThat(l.stats().drainClosed()).isEqualTo(1);
    }

    /**
     * 8 client threads doing keep-alive request/response (50 requests per connection, then a new connection) against
     * two backends for a bounded time and count, while one backend is taken out and put back repeatedly: every
     * request gets its full answer.
     */
    @Test
    void takingABackendOutAndBackInUnderLoadLosesNoRequest() throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp("web").build());
        BackendHandle a = add(l, "A");
        add(l, "B");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread th = new Thread(() -> {
                int requests = 0;
                while (running.get() && requests < 100_000) {
                    try (Socket s = Clients.connect(null, l.port())) {
                        OutputStream out = s.getOutputStream();
                        InputStream in = s.getInputStream();
                        for (int i = 0; i < 50 && running.get(); i++, requests++) {
                            out.write('\n');
                            out.flush();
                            String who = Clients.readLine(in);
                            if ("A".equals(who) || "B".equals(who)) {
                                ok.incrementAndGet();
                            } else {
                                failed.incrementAndGet();
                            }
                        }
                    } catch (IOException e) {
                        failed.incrementAndGet();
                        failures.add(e);
                    }
                }
            });
            th.start();
            threads.add(th);
        }
        long end = System.nanoTime() + Load.duration(Duration.ofSeconds(4)).toNanos();
        int flips = 0;
        while (System.nanoTime() < end) {
            a.setEligible(!a.eligible());
            flips++;
            LockSupport.parkNanos(Duration.ofMillis(150).toNanos()); // pacing of the flips
        }
        a.setEligible(true);
        running.set(false);
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertThat(failures).isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(ok.get()).isGreaterThan(Load.count(1000));
        assertThat(flips).isGreaterThan(Load.count(10));
        System.out.println("zero-loss drain: " + ok.get() + " requests, " + flips + " flips, 0 lost");
    }
}
