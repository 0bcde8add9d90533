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
 * reading what it wrote keeps the API's stream identical to what survives a restart. Sequence numbers restart with
 * the daemon, in the order the logs are replayed at start (by timestamp).
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
    private long sequence;

    EventJournal(Supplier<List<String>> deploymentIds, Function<String, List<LifecycleEvent>> readLog) {
        this.deploymentIds = deploymentIds;
        this.readLog = readLog;
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
            List<LifecycleEvent> batch = new ArrayList<>();
            for (Map.Entry<String, Integer> e : seen.entrySet()) {
                List<LifecycleEvent> all = readLog.apply(e.getKey());
                if (all.size() > e.getValue()) {
                    batch.addAll(all.subList(e.getValue(), all.size()));
                    e.setValue(all.size());
                }
                if (!live.contains(e.getKey())) {
                    gone.add(e.getKey());
                }
            }
            seen.keySet().removeAll(gone); // deleted: its last lines were just read, it is never listed again
            batch.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
            for (LifecycleEvent e : batch) {
                EventView v = new EventView(++sequence, e.timestamp(), e.deploymentId(), e.instanceId(),
                        "StateChanged", e.from(), e.to(), message(e));
                kept.add(v);
                fresh.add(v);
            }
            if (kept.size() > MAX_KEPT) {
                kept.subList(0, kept.size() - MAX_KEPT).clear();
            }
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
