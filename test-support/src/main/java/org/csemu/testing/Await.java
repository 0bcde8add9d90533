package org.csemu.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How tests wait for something to happen: check a condition until a deadline, never a bare sleep. A timeout fails
 * the test with what was awaited. (Product code waits through the fabric's {@code Poller}; this module sits below
 * every product module, so the load balancer's tests can use it too.)
 */
public final class Await {

    private static final long PAUSE_NANOS = Duration.ofMillis(10).toNanos();

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails with {@code what} once {@code timeout} has passed. */
    public static void until(Duration timeout, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for: " + what);
            }
            LockSupport.parkNanos(PAUSE_NANOS);
        }
    }
}
