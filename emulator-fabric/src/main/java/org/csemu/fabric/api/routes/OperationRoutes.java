package org.csemu.fabric.api.routes;

import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.Router;

/** {@code /api/v1/operations/{id}}: poll an asynchronous operation. */
final class OperationRoutes {

    private final FabricService fabric;

    OperationRoutes(FabricService fabric) {
        this.fabric = fabric;
    }

    void register(Router router) {
        router.get("/api/v1/operations/{operation}", r -> ApiResponse.ok(fabric.getOperation(r.pathParam("operation"))));
    }
}
