package org.csemu.fabric.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/**
 * Every {@link RuntimeEvent} a runtime delivered, in order, for tests that drive the runtime without the controller:
 * wait for an event of an instance after a mark, and read the sequence as comparable milestones.
 */
public final class RuntimeEventLog implements Consumer<RuntimeEvent> {
    private final List<RuntimeEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(RuntimeEvent event) {
        events.add(event);
    }

    /** A mark: the number of events so far (wait for or read what comes after it). */
    public synchronized int mark() {
        return events.size();
    }

    /** The instance's events since {@code mark}. */
    public synchronized List<RuntimeEvent> since(InstanceRef ref, int mark) {
        return events.subList(mark, events.size()).stream().filter(e -> e.ref().equals(ref)).toList();
    }

    /** Wait for the first event of {@code ref} after {@code mark} that matches. */
    public RuntimeEvent await(InstanceRef ref, int mark, String what, Duration deadline, Predicate<RuntimeEvent> match)
            throws Exception {
        return Poller.standard().until(ref + ": " + what + " (events: " + milestones(ref, mark) + ")",
                Deadline.after(deadline), () -> since(ref, mark).stream().filter(match).findFirst());
    }

    /** Wait for the agent to report Ready (status or heartbeat) after {@code mark}; a failed task or crash fails. */
    public void awaitReady(InstanceRef ref, int mark, Duration deadline) throws Exception {
        RuntimeEvent e = await(ref, mark, "Ready", deadline, x -> ready(x) || x instanceof RuntimeEvent.TaskFailed
                || x instanceof RuntimeEvent.Crashed);
        if (!ready(e)) {
            throw new AssertionError(ref + " did not get Ready: " + e + " (events: " + milestones(ref, mark) + ")");
        }
    }

    /** The events of {@code ref} after {@code mark} reduced to milestones, heartbeats left out. */
    public List<String> milestones(InstanceRef ref, int mark) {
        List<String> out = new ArrayList<>();
        for (RuntimeEvent e : since(ref, mark)) {
            milestone(e).ifPresent(out::add);
        }
        return out;
    }

    private static boolean ready(RuntimeEvent e) {
        return e instanceof RuntimeEvent.Status s && s.status() == RuntimeEvent.AgentStatus.READY
                || e instanceof RuntimeEvent.Heartbeat h && h.status() == RuntimeEvent.AgentStatus.READY;
    }

    private static Optional<String> milestone(RuntimeEvent e) {
        if (e instanceof RuntimeEvent.AgentHello h) {
            return Optional.of("hello firstBoot=" + h.firstBoot());
        } else if (e instanceof RuntimeEvent.SetupRestart) {
            return Optional.of("setup restart");
        } else if (e instanceof RuntimeEvent.TaskFailed t) {
            return Optional.of("task " + t.taskIndex() + " failed " + t.exitCode());
        } else if (e instanceof RuntimeEvent.Status s) {
            return Optional.of("status " + s.status());
        } else if (e instanceof RuntimeEvent.Crashed) {
            return Optional.of("crashed");
        } else if (e instanceof RuntimeEvent.RecycleRequested) {
            return Optional.of("recycle requested");
        }
        return Optional.empty();
    }
}
