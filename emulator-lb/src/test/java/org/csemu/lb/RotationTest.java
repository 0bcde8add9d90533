package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.lb.support.Load;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RotationTest {

    private final List<LineBackend> servers = new ArrayList<>();
    private VipLoadBalancer lb;
    private BoundListener listener;
    private final Map<String, BackendHandle> handles = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        lb = VipLoadBalancer.start();
        listener = lb.addListener(ListenerSpec.tcp("web").build());
        for (String n : List.of("A", "B", "C")) {
            LineBackend s = new LineBackend(n);
            servers.add(s);
            handles.put(n, listener.addBackend(n, "127.0.0.1", s.port()));
        }
    }

    @AfterEach
    void tearDown() {
        lb.close();
        servers.forEach(LineBackend::close);
    }

    record Interval(long from, long to) {
    }

    record Sample(long openStarted, long answered, String backend) {
    }

    /**
     * A connection opened (client connect started) after setEligible(false) returned for X and answered before
     * setEligible(true) was called for X was necessarily routed while X was out: it must not be X.
     */
    @Test
    void connectionsOnlyReachEligibleBackendsWhileEligibilityFlipsUnderLoad() throws Exception {
        handles.values().forEach(h -> h.setEligible(true));
        Map<String, List<Interval>> out = new ConcurrentHashMap<>();
        List<Sample> samples = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong errors = new AtomicLong();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                int count = 0;
                while (running.get() && count++ < 20_000) {
                    long start = System.nanoTime();
                    try {
                        String who = Clients.askOnce(null, listener.port());
                        samples.add(new Sample(start, System.nanoTime(), who));
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    }
                }
            });
            th.start();
            clients.add(th);
        }
        List<String> names = List.of("A", "B", "C");
        java.util.Random random = new java.util.Random(42);
        long end = System.nanoTime() + Load.duration(Duration.ofSeconds(3)).toNanos();
        Map<String, Long> offSince = new ConcurrentHashMap<>();
        while (System.nanoTime() < end) {
            String victim = names.get(random.nextInt(3));
            BackendHandle h = handles.get(victim);
            if (h.eligible() && offSince.size() < 2) {
                h.setEligible(false);
                offSince.put(victim, System.nanoTime()); // after setEligible returned
            } else if (!h.eligible()) {
                long from = offSince.remove(victim);
                long to = System.nanoTime(); // before setEligible(true) is called
                out.computeIfAbsent(victim, k -> new CopyOnWriteArrayList<>()).add(new Interval(from, to));
                h.setEligible(true);
            }
            LockSupport.parkNanos(Duration.ofMillis(40).toNanos()); // pacing of the flips, not a wait
        }
        running.set(false);
        for (Thread th : clients) {
            th.join(30_000);
        }
        long now = System.nanoTime();
        offSince.forEach((k, from) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(new Interval(from, now)));

        assertThat(errors.get()).as("failed requests (rotation never empty)").isZero();
        assertThat(samples.size()).isGreaterThan(Load.count(500));
        int checked = 0;
        for (Sample s : samples) {
            for (Interval i : out.getOrDefault(s.backend(), Collections.emptyList())) {
                if (s.openStarted() >= i.from() && s.answered() <= i.to()) {
                    throw new AssertionError("connection routed to " + s.backend() + " while it was out of rotation");
                }
            }
            for (String other : names) {
                for (Interval i : out.getOrDefault(other, Collections.emptyList())) {
                    if (s.openStarted() >= i.from() && s.answered() <= i.to()) {
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).as("samples that fell entirely inside some out-of-rotation window").isGreaterThan(Load.count(100));
        assertThat(out.values().stream().mapToInt(List::size).sum()).isGreaterThan(Load.count(10));
    }

    @Test
    void emptyRotationRefusesCleanlyAndCounts() throws Exception {
        long before = listener.stats().refused();
        for (int i = 0; i < 20; i++) {
            try (Socket s = Clients.connect(null, listener.port())) {
                s.setSoTimeout(3000); // a hang would fail with SocketTimeoutException
                s.getOutputStream().write('\n');
                InputStream in = s.getInputStream();
                int r;
                try {
                    r = in.read();
                } catch (java.net.SocketException reset) {
                    r = -1;
                }
                assertThat(r).as("refused connection is closed at once").isEqualTo(-1);
            }
        }
        assertThat(listener.stats().refused() - before).isEqualTo(20);
        assertThat(servers.stream().mapToLong(s -> s.accepted.get()).sum()).isZero();
    }

    @Test
    void ineligibleBackendsNeverReceiveConnections() throws Exception {
        handles.get("B").setEligible(true);
        for (int i = 0; i < 300; i++) {
            assertThat(Clients.askOnce(null, listener.port())).isEqualTo("B");
        }
        assertThat(servers.get(0).accepted.get()).isZero();
        assertThat(servers.get(2).accepted.get()).isZero();
        assertThat(handles.get("B").stats().connections()).isEqualTo(300);
        assertThat(listener.stats().accepted()).isEqualTo(300);
    }
}
