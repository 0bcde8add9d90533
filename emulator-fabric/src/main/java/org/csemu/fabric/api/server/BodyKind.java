package org.csemu.fabric.api.server;

/** How a route takes its request body. */
public enum BodyKind {
    /** The route takes no body; one that is sent is refused with 415... unless it is empty. */
    NONE,
    /** Held in memory, at most {@link ApiServerConfig#maxJsonBytes()}. */
    MEMORY,
    /** Streamed to a file under the upload directory, at most {@link ApiServerConfig#maxUploadBytes()}. */
    FILE,
    /** {@code multipart/form-data}, each part streamed to disk, at most {@link ApiServerConfig#maxUploadBytes()}. */
    MULTIPART
}
