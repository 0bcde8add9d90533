package org.csemu.fabric.util;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A point in monotonic time by which something must have happened. Every wait in the fabric is bounded by one, so
 * a guest or daemon that never answers turns into a reported error instead of a hung thread.
 */
public final class Deadline {

    private final long deadlineNanos;
    private final Duration budget;

    private Deadline(long deadlineNanos, Duration budget) {
        this.deadlineNanos = deadlineNanos;
        this.budget = budget;
    }

    public static Deadline after(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("negative budget: " + budget);
        }
        return new Deadline(System.nanoTime() + budget.toNanos(), budget);
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, remainingNanos()));
    }

    /** The budget this deadline was created with (for messages). */
    public Duration budget() {
        return budget;
    }

    /** The earlier of this deadline and one {@code budget} from now. */
    public Deadline cappedAt(Duration other) {
        Deadline candidate = after(other);
        return candidate.deadlineNanos - deadlineNanos < 0 ? candidate : this;
    }

    /** Throws a {@link TimeoutException} naming {@code what} when expired. */
    public void check(String what) throws TimeoutException {
        if (expired()) {
            throw new TimeoutException(what + " did not happen within " + budget.toMillis() + " ms");
        }
    }

    @Override
    public String toString() {
        return "Deadline[remaining=" + remaining().toMillis() + "ms of " + budget.toMillis() + "ms]";
    }
}
