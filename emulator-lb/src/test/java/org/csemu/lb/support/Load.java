package org.csemu.lb.support;

import java.time.Duration;

/**
 * How much load the suite's load tests make: their full counts and durations in the default build (and CI), a third
 * of them in the fast loop ({@code -Pfast} sets {@code csemu.lb.loadDivisor} to 3 in this module's pom). A bound that
 * depends on the amount (how many requests at least, how even a spread) is derived from the amount actually made.
 */
public final class Load {
    private static final int DIVISOR = Math.max(1, Integer.getInteger("csemu.lb.loadDivisor", 1));

    private Load() {
    }

    /** {@code full}, or its share in the fast loop. */
    public static int count(int full) {
        return Math.max(1, full / DIVISOR);
    }

    /** {@code full}, or its share in the fast loop. */
    public static Duration duration(Duration full) {
        return full.dividedBy(DIVISOR);
    }
}
