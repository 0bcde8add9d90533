package org.csemu.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.csemu.lb.support.Clients;
import org.csemu.lb.support.LineBackend;
import org.csemu.lb.support.UdpBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The VIP swap on loopback: two listeners ("production" with backend OLD, "staging" with backend NEW) exchange their
 * ports under load. Every request is answered; a connection opened before the swap finishes on its backend; from the
 * instant the swap returns, every new connection to the production port reaches NEW.
 */
class SwapTest {

    private final List<AutoCloseable> servers = new ArrayList<>();
    private final VipLoadBalancer lb = VipLoadBalancer.start();

    @AfterEach
    void tearDown() throws Exception {
        lb.close();
        for (AutoCloseable s : servers) {
            s.close();
        }
    }

    private BoundListener listenerWith(String name, String backend) throws Exception {
        BoundListener l = lb.addListener(ListenerSpec.tcp(name).build());
        LineBackend s = new LineBackend(backend);
        servers.add(s);
        l.addBackend(backend, "127.0.0.1", s.port()).setEligible(true);
        return l;
    }

    @Test
    void newConnectionsReachTheOtherPoolFromTheSwapOnWhileConnectionsInFlightKeepTheirBackend() throws Exception {
        BoundListener production = listenerWith("production", "OLD");
        BoundListener staging = listenerWith("staging", "NEW");
        int productionPort = production.port();
        int stagingPort = staging.port();
        try (Socket inFlight = Clients.connect(null, productionPort)) {
            assertThat(Clients.ask(inFlight)).isEqualTo("OLD");

            lb.swapPorts("production", "staging");

            for (int i = 0; i < 50; i++) {
                assertThat(Clients.askOnce(null, productionPort)).as("new connection after the swap").isEqualTo("NEW");
                assertThat(Clients.askOnce(null, stagingPort)).isEqualTo("OLD");
                assertThat(Clients.ask(inFlight)).as("the connection from before finishes on its backend")
                        .isEqualTo("OLD");
            }
        }
        assertThat(lb.listener("production").orElseThrow().port()).isEqualTo(stagingPort);
        assertThat(lb.listener("staging").orElseThrow().port()).isEqualTo(productionPort);
        assertThat(lb.listener("production").orElseThrow().backends()).extracting(BackendHandle::id)
                .containsExactly("OLD");
    }

    @Test
    void boundedLoadThroughASwapLosesNoRequestAndSwitchesAtOneInstant() throws Exception {
        listenerWith("production", "OLD");
        listenerWith("staging", "NEW");
        int port = lb.listener("production").orElseThrow().port();
        int clients = 4;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        AtomicLong swappedAt = new AtomicLong(Long.MAX_VALUE);
        // per answer: when the connection was opened (nanoTime) and who answered
        ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>();
        CountDownLatch warm = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int n = 0;
                while (!stop.get()) {
                    long opened = System.nanoTime();
                    try (Socket s = Clients.connect(null, port)) {
                        String who = Clients.ask(s);
                        answers.add(new long[] {opened, "NEW".equals(who) ? 1 : 0});
                        answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    if (++n == 20) {
                        warm.countDown();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        // a connection in flight across the swap: asks again and again on the same connection
        AtomicLong inFlightAnswers = new AtomicLong();
        List<String> inFlightSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
        Socket inFlight = Clients.connect(null, port);
        Thread keepAlive = new Thread(() -> {
            try {
                while (!stop.get()) {
                    String who = Clients.ask(inFlight);
                    if (!"OLD".equals(who)) {
                        inFlightSaw.add(who);
                    }
                    inFlightAnswers.incrementAndGet();
                }
            } catch (Exception e) {
                inFlightSaw.add(e.toString());
            }
        });
        keepAlive.start();
        assertThat(warm.await(30, TimeUnit.SECONDS)).isTrue();
        lb.swapPorts("production", "staging");
        swappedAt.set(System.nanoTime());
        long inFlightAtSwap = inFlightAnswers.get();
        Thread.sleep(300);
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        keepAlive.join(10_000);
        inFlight.close();
        assertThat(failures.get()).as("failed requests").isZero();
        assertThat(inFlightSaw).as("the connection in flight: every answer from OLD, no error").isEmpty();
        assertThat(inFlightAnswers.get()).as("it kept answering after the swap").isGreaterThan(inFlightAtSwap);
        assertThat(answered.get()).isGreaterThan(clients * 20L);
        long lastOldOpenedAt = answers.stream().filter(a -> a[1] == 0).mapToLong(a -> a[0]).max().orElseThrow();
        long firstNewOpenedAt = answers.stream().filter(a -> a[1] == 1).mapToLong(a -> a[0]).min().orElseThrow();
        assertThat(lastOldOpenedAt).as("no connection opened after the swap returned reached OLD")
                .isLessThan(swappedAt.get());
        assertThat(answers.stream().filter(a -> a[0] > swappedAt.get()).allMatch(a -> a[1] == 1)).isTrue();
        assertThat(firstNewOpenedAt).isLessThanOrEqualTo(swappedAt.get() + TimeUnit.MILLISECONDS.toNanos(300));
    }

    @Test
    void aSwapBackRestoresThePortsAndTheSpecsFollowThePorts() throws Exception {
        BoundListener a = listenerWith("a", "A");
        BoundListener b = listenerWith("b", "B");
        int pa = a.port();
        int pb = b.port();
        lb.swapPorts("a", "b");
        assertThat(lb.listener("a").orElseThrow().spec().port()).isEqualTo(b.spec().port());
        lb.swapPorts("b", "a");
        assertThat(Clients.askOnce(null, pa)).isEqualTo("A");
        assertThat(Clients.askOnce(null, pb)).isEqualTo("B");
        lb.removeListener("a");
        assertThat(Clients.askOnce(null, pb)).as("removing one leaves the other serving").isEqualTo("B");
    }

    @Test
    void udpListenersSwapTooAndTcpWithUdpIsRefused() throws Exception {
        BoundListener u1 = lb.addListener(ListenerSpec.udp("u1").build());
        BoundListener u2 = lb.addListener(ListenerSpec.udp("u2").build());
        UdpBackend one = new UdpBackend("ONE");
        UdpBackend two = new UdpBackend("TWO");
        servers.add(one);
        servers.add(two);
        u1.addBackend("ONE", "127.0.0.1", one.port()).setEligible(true);
        u2.addBackend("TWO", "127.0.0.1", two.port()).setEligible(true);
        int p1 = u1.port();
        lb.swapPorts("u1", "u2");
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(5000);
            assertThat(Clients.udpAsk(s, p1, "hi")).startsWith("TWO");
        }
        listenerWith("t", "T");
        assertThatThrownBy(() -> lb.swapPorts("t", "u1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> lb.swapPorts("t", "nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
