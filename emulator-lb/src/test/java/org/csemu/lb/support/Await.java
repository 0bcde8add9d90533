package org.csemu.lb.support;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until a deadline; the only way tests wait for something to happen. */
public final class Await {
    private Await() {
    }

    public static void until(Duration deadline, BooleanSupplier condition, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out after " + deadline + " waiting for: " + what);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }
}
