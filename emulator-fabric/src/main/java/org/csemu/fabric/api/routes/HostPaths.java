package org.csemu.fabric.api.routes;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.csemu.fabric.api.UploadedFile;
import org.csemu.fabric.api.server.ApiException;

/** Paths a client names on this host: absolute (the daemon's working directory means nothing to the client). */
final class HostPaths {

    private HostPaths() {
    }

    static UploadedFile required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badRequest("'" + field + "' is required");
        }
        return UploadedFile.onHost(absolute(field, value));
    }

    static UploadedFile optional(String field, String value) {
        return value == null || value.isBlank() ? null : UploadedFile.onHost(absolute(field, value));
    }

    private static Path absolute(String field, String value) {
        try {
            Path p = Path.of(value);
            if (!p.isAbsolute()) {
                throw ApiException.badRequest("'" + field + "' must be an absolute path on the daemon's host, not '"
                        + value + "'");
            }
            return p.normalize();
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("'" + field + "' is not a valid path: " + e.getMessage());
        }
    }
}
