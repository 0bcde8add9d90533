package org.csemu.fabric.deployment;

import java.nio.file.Path;
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
import org.csemu.fabric.persist.JsonFileStore;

/**
 * Ids, progress and outcome of asynchronous operations (k of n instances done), kept in {@code operations.json} so
 * an operation interrupted by a daemon restart is still known afterwards: recovery reports the steps it finishes
 * into the operation that started them.
 */
public final class OperationTracker {
    private static final int KEPT = 500;

    private final Map<String, OperationRecord> operations = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;
    private final JsonFileStore<Operations> store;

    /** The persisted form. */
    public record Operations(List<OperationRecord> operations) {
        public Operations {
            operations = List.copyOf(operations);
        }
    }

    OperationTracker(Supplier<Instant> clock, Path file) {
        this.clock = clock;
        this.store = new JsonFileStore<>(file, Operations.class);
        store.load().ifPresent(o -> o.operations().forEach(op -> operations.put(op.id(), op)));
    }

    /** Register an operation; one that touches no instance is done at once. */
    String start(String kind, String target, int total) {
        String id = "op-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Instant now = clock.get();
        operations.put(id, new OperationRecord(id, kind, target,
                total == 0 ? OperationRecord.Status.SUCCEEDED : OperationRecord.Status.IN_PROGRESS, 0, total,
                List.of(), now, total == 0 ? now : null));
        save();
        return id;
    }

    /** One instance's part finished; {@code error} null when it succeeded. */
    public synchronized void unitDone(String id, String error) {
        OperationRecord s = operations.get(id);
        if (s == null || s.done()) {
            return;
        }
        List<String> errors = new ArrayList<>(s.errors());
        if (error != null) {
            errors.add(error);
        }
        int completed = s.completed() + 1;
        boolean finished = completed >= s.total();
        OperationRecord.Status status = !finished ? OperationRecord.Status.IN_PROGRESS
                : errors.isEmpty() ? OperationRecord.Status.SUCCEEDED : OperationRecord.Status.FAILED;
        operations.put(id, new OperationRecord(id, s.kind(), s.target(), status, completed, s.total(), errors,
                s.started(), finished ? clock.get() : null));
        save();
        notifyAll();
    }

    /**
     * End an operation that a daemon restart cut and that no recorded step can finish any more (its remaining
     * instance steps were never recorded as done): it fails with the reason, k of n as confirmed.
     */
    public synchronized void abandon(String id, String reason) {
        OperationRecord s = operations.get(id);
        if (s == null || s.done()) {
            return;
        }
        List<String> errors = new ArrayList<>(s.errors());
        errors.add(reason);
        operations.put(id, new OperationRecord(id, s.kind(), s.target(), OperationRecord.Status.FAILED, s.completed(),
                s.total(), errors, s.started(), clock.get()));
        save();
        notifyAll();
    }

    private synchronized void save() {
        List<OperationRecord> all = operations.values().stream()
                .sorted(java.util.Comparator.comparing(OperationRecord::started)).toList();
        if (all.size() > KEPT) {
            all.subList(0, all.size() - KEPT).stream().filter(OperationRecord::done)
                    .forEach(o -> operations.remove(o.id()));
            all = operations.values().stream().sorted(java.util.Comparator.comparing(OperationRecord::started))
                    .toList();
        }
        store.save(new Operations(all));
    }

    public Optional<OperationRecord> get(String id) {
        return Optional.ofNullable(operations.get(id));
    }

    public List<OperationRecord> all() {
        return List.copyOf(operations.values());
    }

    /** Wait (real time, with a deadline) until the operation is done; returns its last status either way. */
    public synchronized OperationRecord await(String id, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        OperationRecord s = operations.get(id);
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
