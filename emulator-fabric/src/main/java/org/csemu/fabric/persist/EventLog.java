package org.csemu.fabric.persist;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.util.AtomicFiles;

/**
 * The per-deployment event log: one JSON line per transition, appended and fsynced per batch. A crash can leave a
 * torn last line; reading drops it (and appending first cuts it off), every complete line is kept.
 */
public final class EventLog {
    private final Path dir;

    public EventLog(Path dir) {
        this.dir = dir;
    }

    public Path file(String deploymentId) {
        return dir.resolve(deploymentId + ".jsonl");
    }

    /** Append the events of one batch (all of one deployment) and fsync. */
    public synchronized void append(String deploymentId, List<LifecycleEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Path f = file(deploymentId);
        try {
            Files.createDirectories(dir);
            boolean created = !Files.exists(f);
            StringBuilder lines = new StringBuilder();
            for (LifecycleEvent e : events) {
                lines.append(Json.mapper().writeValueAsString(e)).append('\n');
            }
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ)) {
                ch.truncate(completeLength(ch));
                ch.position(ch.size());
                ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(false);
            }
            if (created) {
                AtomicFiles.fsyncDirectory(dir);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + f + ": " + e.getMessage(), e);
        }
    }

    /** All complete events of a deployment, oldest first; a torn or unparsable last line is dropped. */
    public synchronized Read read(String deploymentId) {
        Path f = file(deploymentId);
        if (!Files.exists(f)) {
            return new Read(List.of(), 0);
        }
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String[] lines = text.split("\n", -1);
            List<LifecycleEvent> events = new ArrayList<>();
            int dropped = 0;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                boolean last = i == lines.length - 1;
                if (line.isEmpty()) {
                    continue;
                }
                try {
                    if (last) {
                        throw new IOException("no newline: torn write");
                    }
                    events.add(Json.mapper().readValue(line, LifecycleEvent.class));
                } catch (IOException e) {
                    dropped++;
                }
            }
            return new Read(List.copyOf(events), dropped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** Delete a deployment's log (the deployment is gone). */
    public synchronized void delete(String deploymentId) {
        try {
            Files.deleteIfExists(file(deploymentId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The length up to and including the last newline: what a torn append left after it is cut. */
    private static long completeLength(FileChannel ch) throws IOException {
        long size = ch.size();
        ByteBuffer one = ByteBuffer.allocate(1);
        for (long pos = size - 1; pos >= 0; pos--) {
            one.clear();
            ch.read(one, pos);
            if (one.get(0) == '\n') {
                return pos + 1;
            }
        }
        return 0;
    }

    /**
     * The readable events and how many lines were dropped (a torn last line, or garbage lines).
     */
    public record Read(List<LifecycleEvent> events, int droppedLines) {
    }
}
