package org.csemu.fabric.util;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Polls a condition until it holds or a {@link Deadline} passes. This is the only place in the product (fabric and
 * CLI) that waits between checks: callers state what they wait for and for how long, never how long to sleep.
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

    /** Every {@code interval}, without backing off: for asking a daemon over HTTP at a steady pace. */
    public static Poller every(Duration interval) {
        return new Poller(interval, interval);
    }

    /** 10 ms first, backing off to 200 ms: cheap for local files and sockets, responsive for VM boots. */
    public static Poller standard() {
        return new Poller(Duration.ofMillis(10), Duration.ofMillis(200));
    }

    /** A check whose exception ends the wait: a definite failure, not "not yet". */
    @FunctionalInterface
    public interface Check {
        boolean done() throws Exception;
    }

    /** Waits until {@code probe} returns a value; throws {@link TimeoutException} naming {@code what} otherwise. */
    public <T> T until(String what, Deadline deadline, Probe<T> probe) throws TimeoutException, InterruptedException {
        Exception[] last = {null};
        Optional<T> value;
        try {
            value = poll(deadline, () -> {
                try {
                    return probe.probe();
                } catch (InterruptedException e) {
                    throw e;
                } catch (Exception e) {
                    last[0] = e;
                    return Optional.empty();
                }
            });
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // the probe above turns every other exception into "not yet"
        }
        if (value.isPresent()) {
            return value.get();
        }
        TimeoutException timeout = new TimeoutException(what + " did not happen within "
                + deadline.budget().toMillis() + " ms"
                + (last[0] == null ? "" : " (last error: " + last[0].getMessage() + ")"));
        if (last[0] != null) {
            timeout.initCause(last[0]);
        }
        throw timeout;
    }

    /** Waits until {@code condition} is true. */
    public void until(String what, Deadline deadline, BooleanSupplier condition)
            throws TimeoutException, InterruptedException {
        until(what, deadline, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Checks until {@code check} is done (true) or the deadline passed (false). Unlike {@link #until}, an exception
     * from the check is not "not yet": it ends the wait and is thrown as is.
     */
    public boolean within(Deadline deadline, Check check) throws Exception {
        return poll(deadline, () -> check.done() ? Optional.of(Boolean.TRUE) : Optional.empty()).isPresent();
    }

    /** The one loop: probe, then stop at the deadline or pause (backing off) and probe again. */
    private <T> Optional<T> poll(Deadline deadline, Probe<T> probe) throws Exception {
        long interval = initialInterval.toNanos();
        while (true) {
            Optional<T> value = probe.probe();
            if (value.isPresent()) {
                return value;
            }
            long remaining = deadline.remainingNanos();
            if (remaining <= 0) {
                return Optional.empty();
            }
            pause(Math.min(interval, remaining));
            interval = Math.min(interval * 2, maxInterval.toNanos());
        }
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
