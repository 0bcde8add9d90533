package org.csemu.fabric.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Time for the controller: the clock for event timestamps, and delayed tasks for grace periods, heartbeat deadlines
 * and back-off. Injected so tests drive time by hand instead of sleeping.
 */
public interface Scheduler {

    Instant now();

    /** Run the task once after the delay; the returned handle cancels it if it has not run yet. */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may be cancelled. */
    interface Cancellable {
        void cancel();
    }
}
