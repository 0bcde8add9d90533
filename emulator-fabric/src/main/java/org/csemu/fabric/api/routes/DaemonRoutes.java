package org.csemu.fabric.api.routes;

import java.util.function.Supplier;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.Router;

/** {@code GET /api/v1/daemon}: who answers (version, pid, data directory, start time); clients' liveness check. */
final class DaemonRoutes {

    private final Supplier<Object> status;

    DaemonRoutes(Supplier<Object> status) {
        this.status = status;
    }

    void register(Router router) {
        router.get("/api/v1/daemon", r -> ApiResponse.ok(status.get()));
    }
}
