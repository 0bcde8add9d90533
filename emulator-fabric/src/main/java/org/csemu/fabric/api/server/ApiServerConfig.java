package org.csemu.fabric.api.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How to run the API server.
 *
 * @param binding loopback port or unix socket
 * @param token the bearer token every {@code /api/} request must carry
 * @param uploadDirectory where request bodies that are files (packages, configurations) are streamed
 * @param maxJsonBytes limit of a JSON (or XML) body
 * @param maxUploadBytes limit of a package upload
 * @param workerThreads threads that call the fabric (request handling never blocks the network threads)
 * @param sseHeartbeatMillis interval of the keep-alive comment on event streams
 * @param daemonStatus what {@code GET /api/v1/daemon} answers
 */
public record ApiServerConfig(ApiBinding binding, String token, Path uploadDirectory, long maxJsonBytes,
        long maxUploadBytes, int workerThreads, long sseHeartbeatMillis, Supplier<Object> daemonStatus) {

    public static final long DEFAULT_MAX_JSON_BYTES = 1L << 20;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 700L << 20;

    public ApiServerConfig {
        Objects.requireNonNull(binding, "binding");
        Objects.requireNonNull(uploadDirectory, "uploadDirectory");
        Objects.requireNonNull(daemonStatus, "daemonStatus");
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("the API token must be at least 16 characters");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads must be >= 1");
        }
    }

    public static ApiServerConfig defaults(ApiBinding binding, String token, Path uploadDirectory,
            Supplier<Object> daemonStatus) {
        return new ApiServerConfig(binding, token, uploadDirectory, DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_UPLOAD_BYTES,
                16, 15_000, daemonStatus);
    }

    public ApiServerConfig withLimits(long jsonBytes, long uploadBytes) {
        return new ApiServerConfig(binding, token, uploadDirectory, jsonBytes, uploadBytes, workerThreads,
                sseHeartbeatMillis, daemonStatus);
    }

    public ApiServerConfig withSseHeartbeatMillis(long millis) {
        return new ApiServerConfig(binding, token, uploadDirectory, maxJsonBytes, maxUploadBytes, workerThreads,
                millis, daemonStatus);
    }
}
