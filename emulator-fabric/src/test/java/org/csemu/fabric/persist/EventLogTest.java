package org.csemu.fabric.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.lifecycle.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLogTest {
    @TempDir
    Path dir;

    private static LifecycleEvent event(int n) {
        return new LifecycleEvent(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n), "d1", "Web_IN_0",
                "ReadyRole", "StoppingRole", Trigger.REBOOT, "event " + n, "op-" + n);
    }

    @Test
    void appendsBatchesAsJsonLinesAndReadsThemBack() throws IOException {
        EventLog log = new EventLog(dir);
        log.append("d1", List.of(event(1), event(2)));
        log.append("d1", List.of(event(3)));
        assertThat(log.read("d1").events()).containsExactly(event(1), event(2), event(3));
        assertThat(Files.readAllLines(log.file("d1"))).hasSize(3).allMatch(l -> l.startsWith("{"));
    }

    @Test
    void aTornLastLineIsDroppedAndTheNextAppendCutsItOff() throws IOException {
        EventLog log = new EventLog(dir);
        log.append("d1", List.of(event(1), event(2)));
        Files.writeString(log.file("d1"), "{\"timestamp\":\"2026-01-01T00:0", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        EventLog.Read read = log.read("d1");
        assertThat(read.events()).containsExactly(event(1), event(2));
        assertThat(read.droppedLines()).isEqualTo(1);

        log.append("d1", List.of(event(3)));
        EventLog.Read after = log.read("d1");
        assertThat(after.events()).containsExactly(event(1), event(2), event(3));
        assertThat(after.droppedLines()).isZero();
    }

    @Test
    void aMissingLogIsEmpty() {
        assertThat(new EventLog(dir).read("nothing").events()).isEmpty();
    }
}
