package org.csemu.cli.client;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition until a deadline, checking every {@code interval}; never an open-ended sleep. */
public final class Polling {

    /** A condition that may fail the wait early by throwing. */
    @FunctionalInterface
    public interface Check {
        boolean done() throws Exception;
    }

    private Polling() {
    }

    /** True when the check passed, false when the deadline came first. */
    public static boolean until(Duration timeout, Duration interval, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (check.done()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            LockSupport.parkNanos(Math.min(interval.toNanos(), Math.max(0, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
