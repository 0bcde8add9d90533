package org.csemu.fabric.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file given to the fabric: either received in the request body ({@code temporary}: the receiver deletes it
 * when done) or named by path on this host (never deleted).
 *
 * @param path where the bytes are
 * @param originalName the name the client gave it (for messages), never a path to trust
 * @param temporary whether the file is an upload the receiver owns
 */
public record UploadedFile(Path path, String originalName, boolean temporary) {
    public UploadedFile {
        Objects.requireNonNull(path, "path");
        originalName = originalName == null ? path.getFileName().toString() : originalName;
    }

    public static UploadedFile onHost(Path path) {
        return new UploadedFile(path, path.toString(), false);
    }
}
