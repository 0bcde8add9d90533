package org.csemu.fabric.api.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A received {@code multipart/form-data} body: text fields, and file parts already on disk under the upload
 * directory (the route hands them over or they are deleted with the request).
 *
 * @param fields text fields by name
 * @param files file parts by name
 */
public record Form(Map<String, String> fields, Map<String, FilePart> files) {

    /** A file part: where it is stored, and the name and type the client gave. */
    public record FilePart(Path path, String filename, String contentType) {
    }

    public Form {
        fields = Map.copyOf(fields);
        files = Map.copyOf(files);
    }

    /** Deletes every file part (a refused request). */
    public void deleteFiles() {
        for (FilePart f : files.values()) {
            try {
                Files.deleteIfExists(f.path());
            } catch (IOException ignored) {
                // best effort: the upload directory is also cleaned when the daemon starts
            }
        }
    }
}
