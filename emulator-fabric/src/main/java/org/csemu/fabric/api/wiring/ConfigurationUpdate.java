package org.csemu.fabric.api.wiring;

import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.api.ErrorKind;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.service.DeploymentRejectedException;

/**
 * A new service configuration for a running deployment (the classic Change Deployment Configuration, Auto mode), as
 * the API answers it: an invalid configuration is {@code 422} with its diagnostics, a change an in-place update
 * cannot make (or a second change while one runs) is {@code 409}, otherwise the operations started
 * ({@link Fabric#changeConfiguration}).
 */
final class ConfigurationUpdate {

    private ConfigurationUpdate() {
    }

    /** The operations started (empty: nothing changed). */
    static List<OperationRecord> apply(Fabric fabric, DeploymentRecord d, Path cscfg) throws DeploymentRejectedException {
        try {
            return fabric.changeConfiguration(d.id(), cscfg);
        } catch (IllegalStateException e) {
            throw new FabricException(ErrorKind.CONFLICT, "ConfigurationChangeRefused", e.getMessage(), List.of(), e);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        }
    }
}
