package org.csemu.fabric.util;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a {@link Deadline} passes. This is the only place in the fabric that waits
 * between checks: callers state what they wait for and for how long, never how long to sleep.
 */
public final class Poller {

    /** A check that may fail with an exception; an exception is treated as "not yet" and kept for the message. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> probe() throws Exception;
    }

    private final Duration initialInterval;
    private final Duration maxInterval;

    public Poller(Duration initialInterval, Duration maxInterval) {
        this.initialInterval = initialInterval;
        this.maxInterval = maxInterval;
    }

    /** 10 ms first, backing off to 200 ms: cheap for local files and sockets, responsive for VM boots. */
    public static Poller standard() {
        return new Poller(Duration.ofMillis(10), Duration.ofMillis(200));
    }

    /** Waits until {@code probe} returns a value; throws {@link TimeoutException} naming {@code what} otherwise. */
    public <T> T until(String what, Deadline deadline, Probe<T> probe) throws TimeoutException, InterruptedException {
        long interval = initialInterval.toNanos();
        Exception last = null;
        while (true) {
            try {
                Optional<T> value = probe.probe();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            long remaining = deadline.remainingNanos();
            if (remaining <= 0) {
                TimeoutException timeout = new TimeoutException(what + " did not happen within "
                        + deadline.budget().toMillis() + " ms"
                        + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
                if (last != null) {
                    timeout.initCause(last);
                }
                throw timeout;
            }
            pause(Math.min(interval, remaining));
            interval = Math.min(interval * 2, maxInterval.toNanos());
        }
    }

    /** Waits until {@code condition} is true. */
    public void until(String what, Deadline deadline, BooleanSupplier condition)
            throws TimeoutException, InterruptedException {
        until(what, deadline, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    private static void pause(long nanos) throws InterruptedException {
        ReentrantLock lock = new ReentrantLock();
        Condition never = lock.newCondition();
        lock.lock();
        try {
            never.await(nanos, TimeUnit.NANOSECONDS);
        } finally {
            lock.unlock();
        }
    }
}
