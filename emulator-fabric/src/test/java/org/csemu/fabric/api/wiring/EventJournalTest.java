package org.csemu.fabric.api.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.csemu.fabric.api.EventSubscription;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.junit.jupiter.api.Test;

/** The API's event journal over the controller's per-deployment logs: numbering, order, deletion, subscribers. */
class EventJournalTest {

    private final Map<String, List<LifecycleEvent>> logs = new ConcurrentHashMap<>();
    private final List<String> live = new CopyOnWriteArrayList<>();
    private final EventJournal journal = new EventJournal(() -> List.copyOf(live),
            id -> List.copyOf(logs.getOrDefault(id, List.of())));

    private void append(String deployment, String instance, long second, String from, String to, Trigger trigger) {
        logs.computeIfAbsent(deployment, k -> new CopyOnWriteArrayList<>()).add(new LifecycleEvent(
                Instant.ofEpochSecond(1_800_000_000L + second), deployment, instance, from, to, trigger, "why", "op-1"));
    }

    @Test
    void numbersEveryLineOnceInTimeOrderAcrossDeployments() {
        live.addAll(List.of("a", "b"));
        append("a", "R_IN_0", 2, "Preparing", "CreatingVM", Trigger.CREATE);
        append("b", "R_IN_0", 1, "Preparing", "CreatingVM", Trigger.CREATE);
        journal.poll();
        journal.poll();
        List<EventView> all = journal.after(null, 0, 100);
        assertThat(all).extracting(EventView::sequence).containsExactly(1L, 2L);
        assertThat(all).extracting(EventView::deploymentId).containsExactly("b", "a");
        assertThat(all.get(0).message()).isEqualTo("create: why (operation op-1)");
        append("a", "R_IN_0", 3, "CreatingVM", "StartingVM", Trigger.DOMAIN_STARTED);
        journal.poll();
        assertThat(journal.after("a", 0, 100)).extracting(EventView::sequence).containsExactly(2L, 3L);
        assertThat(journal.after(null, 2, 100)).extracting(EventView::to).containsExactly("StartingVM");
        assertThat(journal.after(null, 0, 1)).hasSize(1);
    }

    @Test
    void theLastLinesOfADeletedDeploymentAreKeptAndNothingRepeats() {
        live.add("a");
        append("a", "R_IN_0", 1, "Preparing", "CreatingVM", Trigger.CREATE);
        journal.poll();
        append("a", "R_IN_0", 2, "ReadyRole", "DeletingVM", Trigger.DELETE);
        append("a", "R_IN_0", 3, "DeletingVM", "(removed)", Trigger.DELETED);
        live.clear(); // the controller forgot it before the journal read its last lines
        journal.poll();
        journal.poll();
        assertThat(journal.after("a", 0, 100)).extracting(EventView::to)
                .containsExactly("CreatingVM", "DeletingVM", "(removed)");
    }

    @Test
    void subscribersGetEachEventOnceInSequenceUntilClosed() {
        live.add("a");
        List<Long> seen = new ArrayList<>();
        EventSubscription sub = journal.subscribe(e -> seen.add(e.sequence()));
        append("a", "R_IN_0", 1, "Preparing", "CreatingVM", Trigger.CREATE);
        append("a", "R_IN_1", 1, "Preparing", "CreatingVM", Trigger.CREATE);
        journal.poll();
        journal.poll();
        sub.close();
        append("a", "R_IN_0", 2, "CreatingVM", "StartingVM", Trigger.DOMAIN_STARTED);
        journal.poll();
        assertThat(seen).containsExactly(1L, 2L);
    }

    @Test
    void numberingSurvivesARestartAndACutLastLineIsReadAgain(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("api-events.jsonl");
        live.addAll(List.of("a", "b"));
        append("a", "R_IN_0", 1, "Preparing", "CreatingVM", Trigger.CREATE);
        append("b", "R_IN_0", 2, "Preparing", "CreatingVM", Trigger.CREATE);
        append("a", "R_IN_0", 3, "CreatingVM", "StartingVM", Trigger.DOMAIN_STARTED);
        EventJournal first = new EventJournal(() -> List.copyOf(live), id -> List.copyOf(logs.getOrDefault(id, List.of())),
                file);
        first.poll();
        first.close();
        // b is deleted while the daemon is down; a gets a new line
        live.remove("b");
        logs.remove("b");
        append("a", "R_IN_0", 4, "StartingVM", "StartingRole", Trigger.AGENT_HELLO);

        EventJournal second = new EventJournal(() -> List.copyOf(live), id -> List.copyOf(logs.getOrDefault(id, List.of())),
                file);
        second.poll();
        List<EventView> all = second.after(null, 0, 100);
        assertThat(all).extracting(EventView::sequence).containsExactly(1L, 2L, 3L, 4L);
        assertThat(all).extracting(EventView::to).containsExactly("CreatingVM", "CreatingVM", "StartingVM",
                "StartingRole");
        assertThat(second.after(null, 3, 100)).extracting(EventView::to).containsExactly("StartingRole");
        second.close();

        // a crash cut the journal's last line: that event is read again from the controller's log and numbered anew
        List<String> lines = java.nio.file.Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        lines.set(lines.size() - 1, last.substring(0, last.length() / 2));
        java.nio.file.Files.write(file, lines);
        EventJournal third = new EventJournal(() -> List.copyOf(live), id -> List.copyOf(logs.getOrDefault(id, List.of())),
                file);
        third.poll();
        assertThat(third.after(null, 0, 100)).extracting(EventView::to).containsExactly("CreatingVM", "CreatingVM",
                "StartingVM", "StartingRole");
        assertThat(third.after(null, 3, 100)).extracting(EventView::sequence).containsExactly(4L);
        third.close();
    }

    @Test
    void consoleTailReadsTheLastLines(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path log = dir.resolve("console.log");
        assertThat(ConsoleTail.read(log, 5)).isEmpty();
        java.nio.file.Files.writeString(log, "one\r\ntwo\nthree\nfour\n");
        assertThat(ConsoleTail.read(log, 2)).isEqualTo("three\nfour\n");
        assertThat(ConsoleTail.read(log, 0)).isEqualTo("one\ntwo\nthree\nfour\n");
        assertThat(ConsoleTail.read(log, 10)).isEqualTo("one\ntwo\nthree\nfour\n");
        java.nio.file.Files.writeString(log, "no newline at the end");
        assertThat(ConsoleTail.read(log, 1)).isEqualTo("no newline at the end");
    }

    @Test
    void powerStatesFollowTheInstanceState() {
        assertThat(ApiViews.powerState(org.csemu.fabric.lifecycle.InstanceState.READY_ROLE)).isEqualTo("Started");
        assertThat(ApiViews.powerState(org.csemu.fabric.lifecycle.InstanceState.CREATING_VM)).isEqualTo("Starting");
        assertThat(ApiViews.powerState(org.csemu.fabric.lifecycle.InstanceState.STOPPED_VM)).isEqualTo("Stopped");
        assertThat(ApiViews.powerState(org.csemu.fabric.lifecycle.InstanceState.DELETING_VM)).isEqualTo("Stopping");
    }
}
