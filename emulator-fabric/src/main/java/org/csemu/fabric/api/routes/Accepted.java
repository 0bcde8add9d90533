package org.csemu.fabric.api.routes;

import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.api.server.ApiResponse;

/** The answer to a long-running change: 202, the operation, and where to poll it. */
final class Accepted {

    private Accepted() {
    }

    static ApiResponse of(OperationView op) {
        return ApiResponse.json(202, op)
                .withHeader("Location", "/api/v1/operations/" + op.id())
                .withHeader("x-ms-request-id", op.id());
    }
}
