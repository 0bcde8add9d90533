package org.csemu.fabric.api.routes;

import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.server.ApiServerConfig;
import org.csemu.fabric.api.server.Router;

/** Every route of the management API, version 1 (docs/api.md is the reference). */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    public static Router build(FabricService fabric, ApiServerConfig config) {
        Router router = new Router();
        new DaemonRoutes(config.daemonStatus()).register(router);
        new DeploymentRoutes(fabric).register(router);
        new InstanceRoutes(fabric).register(router);
        new ImageRoutes(fabric).register(router);
        new CertificateRoutes(fabric).register(router);
        new OperationRoutes(fabric).register(router);
        new EventRoutes(fabric, config.sseHeartbeatMillis()).register(router);
        return router;
    }
}
