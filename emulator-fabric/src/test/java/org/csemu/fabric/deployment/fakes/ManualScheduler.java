package org.csemu.fabric.deployment.fakes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.csemu.fabric.spi.Scheduler;

/** A scheduler whose time only moves when a test says so: timers run in due order inside {@link #advance}. */
public final class ManualScheduler implements Scheduler {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final List<Duration> scheduledDelays = new ArrayList<>();

    private final class Task implements Comparable<Task>, Cancellable {
        final Instant due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(Instant due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public int compareTo(Task o) {
            int c = due.compareTo(o.due);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            synchronized (ManualScheduler.this) {
                cancelled = true;
            }
        }
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        scheduledDelays.add(delay);
        Task t = new Task(now.plus(delay), sequence++, task);
        queue.add(t);
        return t;
    }

    /** Move time forward, running every timer that falls due, in order, at its due time. */
    public void advance(Duration by) {
        Instant end;
        synchronized (this) {
            end = now.plus(by);
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due.isAfter(end)) {
                    now = end;
                    return;
                }
                queue.poll();
                if (next.due.isAfter(now)) {
                    now = next.due;
                }
                if (next.cancelled) {
                    continue;
                }
            }
            next.body.run();
        }
    }

    public synchronized List<Duration> scheduledDelays() {
        return List.copyOf(scheduledDelays);
    }
}
