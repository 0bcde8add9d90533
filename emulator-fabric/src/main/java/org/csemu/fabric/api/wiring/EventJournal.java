package org.csemu.fabric.api.wiring;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.csemu.fabric.api.EventSubscription;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the controller's per-deployment event logs into the API's one daemon-wide stream: every new line gets the
 * next sequence number (the SSE event id) and is handed to the subscribers, in order.
 *
 * <p>Why polling: the controller's event log is the durable truth (fsynced per batch) and it has no listener hook;
 * reading what it wrote keeps the API's stream identical to what survives a restart.
 *
 * <p>With a journal file, the numbering survives a daemon restart: every numbered line is appended there with the
 * position it had in its deployment's log, and a new journal continues from it (a client resuming with
 * {@code Last-Event-ID} after a restart gets exactly what it missed, and a deleted deployment's events stay listed).
 * The file is only a numbering cache: lines lost in a crash are read again from the controller's logs and numbered
 * anew.
 */
final class EventJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);
    private static final int MAX_KEPT = 100_000;

    private final Supplier<List<String>> deploymentIds;
    private final Function<String, List<LifecycleEvent>> readLog;
    private final Map<String, Integer> seen = new HashMap<>();
    private final List<EventView> kept = new ArrayList<>();
    private final List<Consumer<EventView>> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller;
    private final java.nio.file.Path file;
    private long sequence;

    /** One line of the journal file: the event and its position in its deployment's log. */
    record Entry(EventView event, int position) {
    }

    EventJournal(Supplier<List<String>> deploymentIds, Function<String, List<LifecycleEvent>> readLog) {
        this(deploymentIds, readLog, null);
    }

    /** @param file the journal file ({@code null}: numbering restarts with the daemon) */
    EventJournal(Supplier<List<String>> deploymentIds, Function<String, List<LifecycleEvent>> readLog,
                 java.nio.file.Path file) {
        this.deploymentIds = deploymentIds;
        this.readLog = readLog;
        this.file = file;
        restore();
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "csemu-api-events");
            t.setDaemon(true);
            return t;
        });
    }

    /** Replays the existing logs, then follows them every {@code intervalMillis}. */
    EventJournal start(long intervalMillis) {
        poll();
        poller.scheduleWithFixedDelay(this::pollQuietly, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * Reads new lines now (a request for events calls this first, so an answer never lags the controller). Delivery
     * happens under the same lock, so subscribers see every event once and in sequence order.
     */
    synchronized void poll() {
        List<EventView> fresh = new ArrayList<>();
        {
            List<String> live = deploymentIds.get();
            for (String id : live) {
                seen.putIfAbsent(id, 0);
            }
            List<String> gone = new ArrayList<>();
            List<Map.Entry<LifecycleEvent, Integer>> batch = new ArrayList<>();
            for (Map.Entry<String, Integer> e : seen.entrySet()) {
                List<LifecycleEvent> all = readLog.apply(e.getKey());
                for (int i = e.getValue(); i < all.size(); i++) {
                    batch.add(Map.entry(all.get(i), i));
                }
                if (all.size() > e.getValue()) {
                    e.setValue(all.size());
                }
                if (!live.contains(e.getKey())) {
                    gone.add(e.getKey());
                }
            }
            seen.keySet().removeAll(gone); // deleted: its last lines were just read, it is never listed again
            batch.sort((a, b) -> a.getKey().timestamp().compareTo(b.getKey().timestamp()));
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<LifecycleEvent, Integer> be : batch) {
                LifecycleEvent e = be.getKey();
                // an event without an instance is a deployment's own step (a VIP swap's), not a transition
                EventView v = new EventView(++sequence, e.timestamp(), e.deploymentId(), e.instanceId(),
                        e.instanceId() == null ? "DeploymentChanged" : "StateChanged", e.from(), e.to(), message(e));
                kept.add(v);
                fresh.add(v);
                entries.add(new Entry(v, be.getValue()));
            }
            boolean trimmed = kept.size() > MAX_KEPT;
            if (trimmed) {
                kept.subList(0, kept.size() - MAX_KEPT).clear();
            }
            persist(entries, trimmed);
        }
        for (EventView v : fresh) {
            for (Consumer<EventView> s : subscribers) {
                try {
                    s.accept(v);
                } catch (RuntimeException ex) {
                    LOG.warn("event subscriber failed: {}", ex.toString());
                }
            }
        }
    }

    /** Continue the numbering of an earlier daemon from the journal file. */
    private void restore() {
        if (file == null || !java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        com.fasterxml.jackson.databind.ObjectMapper json = org.csemu.fabric.persist.Json.mapper();
        int bad = 0;
        try (java.io.BufferedReader in = java.nio.file.Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    Entry entry = json.readValue(line, Entry.class);
                    EventView v = entry.event();
                    if (v == null || v.sequence() <= sequence) {
                        bad++;
                        continue;
                    }
                    kept.add(v);
                    sequence = v.sequence();
                    if (v.deploymentId() != null) {
                        seen.merge(v.deploymentId(), entry.position() + 1, Math::max);
                    }
                } catch (java.io.IOException e) {
                    bad++; // a line cut by a crash: its event is read again from the controller's log
                }
            }
        } catch (java.io.IOException e) {
            LOG.warn("event journal {} unreadable ({}); numbering continues from {}", file, e.getMessage(), sequence);
        }
        if (kept.size() > MAX_KEPT) {
            kept.subList(0, kept.size() - MAX_KEPT).clear();
        }
        if (bad > 0) {
            LOG.info("event journal {}: {} unreadable line(s) skipped", file, bad);
        }
    }

    /** Append the new lines (or rewrite the file when the kept window moved), never failing the poll. */
    private void persist(List<Entry> entries, boolean rewrite) {
        if (file == null || (entries.isEmpty() && !rewrite)) {
            return;
        }
        com.fasterxml.jackson.databind.ObjectMapper json = org.csemu.fabric.persist.Json.mapper();
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            if (rewrite) {
                java.nio.file.Path temp = file.resolveSibling(file.getFileName() + ".new");
                List<String> lines = new ArrayList<>();
                // only the newest position per deployment matters to a restore: give every line the consumed count
                for (EventView v : kept) {
                    int consumed = v.deploymentId() == null ? 0 : seen.getOrDefault(v.deploymentId(), 0);
                    lines.add(json.writeValueAsString(new Entry(v, Math.max(consumed - 1, 0))));
                }
                java.nio.file.Files.write(temp, lines);
                java.nio.file.Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                return;
            }
            StringBuilder b = new StringBuilder();
            for (Entry e : entries) {
                b.append(json.writeValueAsString(e)).append('\n');
            }
            java.nio.file.Files.writeString(file, b, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            LOG.warn("event journal {} not written ({}): sequence numbers restart with the daemon", file,
                    e.getMessage());
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("reading the event logs failed: {}", e.toString());
        }
    }

    synchronized List<EventView> after(String deploymentId, long afterSequence, int limit) {
        List<EventView> out = new ArrayList<>();
        for (EventView v : kept) {
            if (v.sequence() > afterSequence && (deploymentId == null || deploymentId.equals(v.deploymentId()))) {
                out.add(v);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    EventSubscription subscribe(Consumer<EventView> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    static String message(LifecycleEvent e) {
        StringBuilder b = new StringBuilder(e.trigger() == null ? "" : e.trigger().name().toLowerCase());
        if (e.cause() != null && !e.cause().isBlank()) {
            b.append(b.length() == 0 ? "" : ": ").append(e.cause());
        }
        if (e.operationId() != null) {
            b.append(" (operation ").append(e.operationId()).append(')');
        }
        return b.toString();
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}
