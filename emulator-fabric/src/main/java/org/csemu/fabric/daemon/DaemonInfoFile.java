package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.csemu.fabric.api.server.Json;
import org.csemu.fabric.util.AtomicFiles;

/** Reads and writes {@code daemon.json} (atomically; readable by all, it holds no secret). */
public final class DaemonInfoFile {

    private DaemonInfoFile() {
    }

    public static void write(Path file, DaemonInfo info) throws IOException {
        AtomicFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(info), "rw-r--r--");
    }

    /** The info, or empty when no daemon has written one. */
    public static Optional<DaemonInfo> read(Path file) throws IOException {
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readAllBytes(file), DaemonInfo.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is damaged (" + e.getOriginalMessage() + "); delete it if no daemon runs", e);
        }
    }

    /** Deletes the file if it still describes {@code pid} (a newer daemon's file is left alone). */
    public static void deleteIfOwnedBy(Path file, long pid) {
        try {
            Optional<DaemonInfo> info = read(file);
            if (info.isPresent() && info.get().pid() == pid) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // nothing to clean up then
        }
    }
}
