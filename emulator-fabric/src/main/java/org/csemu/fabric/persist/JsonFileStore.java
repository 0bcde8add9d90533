package org.csemu.fabric.persist;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Optional;
import org.csemu.fabric.util.AtomicFiles;

/**
 * One JSON document in one file, replaced atomically on every save. A missing file is an empty state; an empty or
 * unparsable one is kept aside as {@code <name>.corrupt-<time>} and reported, never silently replaced.
 */
public final class JsonFileStore<T> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final Path file;
    private final Class<T> type;
    private final Clock clock;

    /** Every save is atomic and fsynced ({@link AtomicFiles}). */
    public JsonFileStore(Path file, Class<T> type) {
        this(file, type, Clock.systemUTC());
    }

    /** @param clock stamps the name of a corrupt file kept aside */
    public JsonFileStore(Path file, Class<T> type, Clock clock) {
        this.file = file;
        this.type = type;
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    /** The stored document; empty when no file exists yet. */
    public Optional<T> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length == 0 || new String(bytes, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw corrupt("the file is empty", null);
        }
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw corrupt("the file holds JSON null", null);
            }
            return Optional.of(value);
        } catch (IOException e) {
            throw corrupt(e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage(), e);
        }
    }

    public void save(T value) {
        try {
            AtomicFiles.write(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + type.getSimpleName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private CorruptStateException corrupt(String reason, Throwable cause) {
        Path copy = file.resolveSibling(file.getFileName() + ".corrupt-" + STAMP.format(clock.instant()));
        try {
            Files.copy(file, copy, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException("state file " + file + " is unreadable (" + reason
                    + ") and could not be copied aside: " + e.getMessage(), e);
        }
        return new CorruptStateException(file, copy, reason, cause);
    }
}
