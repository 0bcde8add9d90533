package org.csemu.fabric.deployment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Ids, progress and outcome of asynchronous operations (k of n instances done). */
public final class OperationTracker {
    private final Map<String, OperationStatus> operations = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;

    OperationTracker(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** Register an operation; one that touches no instance is done at once. */
    String start(String kind, String target, int total) {
        String id = "op-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant now = clock.get();
        operations.put(id, new OperationStatus(id, kind, target,
                total == 0 ? OperationStatus.Status.SUCCEEDED : OperationStatus.Status.IN_PROGRESS, 0, total,
                List.of(), now, total == 0 ? now : null));
        return id;
    }

    /** One instance's part finished; {@code error} null when it succeeded. */
    synchronized void unitDone(String id, String error) {
        OperationStatus s = operations.get(id);
        List<String> errors = new ArrayList<>(s.errors());
        if (error != null) {
            errors.add(error);
        }
        int completed = s.completed() + 1;
        boolean finished = completed >= s.total();
        OperationStatus.Status status = !finished ? OperationStatus.Status.IN_PROGRESS
                : errors.isEmpty() ? OperationStatus.Status.SUCCEEDED : OperationStatus.Status.FAILED;
        operations.put(id, new OperationStatus(id, s.kind(), s.target(), status, completed, s.total(), errors,
                s.started(), finished ? clock.get() : null));
        notifyAll();
    }

    public Optional<OperationStatus> get(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    public List<OperationStatus> all() {
        return List.copyOf(operations.values());
    }

    /** Wait (real time, with a deadline) until the operation is done; returns its last status either way. */
    public synchronized OperationStatus await(String id, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        OperationStatus s = operations.get(id);
        while (s != null && !s.done()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
            s = operations.get(id);
        }
        return s;
    }
}
