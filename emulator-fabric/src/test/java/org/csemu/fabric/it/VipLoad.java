package org.csemu.fabric.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/**
 * A bounded load on a VIP for the rollout tests: 3 clients, one GET per new connection, each paced 20 ms, at most
 * 20,000 requests; every answer is kept with the time its connection was opened, every failure with its cause.
 */
final class VipLoad implements AutoCloseable {
    static final int CLIENTS = 3;

    /** What one request of a client saw: when its connection was opened ({@link System#nanoTime}), the body. */
    record Answer(int client, long openedNanos, String greeting) {
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    VipLoad(int port, String path) {
        AtomicLong budget = new AtomicLong(20_000);
        for (int t = 0; t < CLIENTS; t++) {
            int client = t;
            Thread th = new Thread(() -> {
                while (running.get() && budget.decrementAndGet() > 0) {
                    long opened = System.nanoTime();
                    try {
                        answers.add(new Answer(client, opened, FabricChecks.get("127.0.0.1", port, path).trim()));
                    } catch (java.io.IOException e) {
                        failures.add(java.time.Instant.now() + " " + e);
                    }
                    LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // pacing, not a wait
                }
            }, "vip-load-" + t);
            th.setDaemon(true);
            th.start();
            threads.add(th);
        }
    }

    long answered() {
        return answers.size();
    }

    List<Answer> answers() {
        return answers;
    }

    List<String> failures() {
        return failures;
    }

    void awaitAnswered(long n) throws Exception {
        Poller.standard().until(n + " answered requests", Deadline.after(FabricChecks.BOOT), () -> answers.size() >= n);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
