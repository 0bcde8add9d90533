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
 * The rollouts of a running deployment as the API answers them: a new service configuration (the classic Change
 * Deployment Configuration) and a new package (Upgrade Deployment), in Auto, Manual or Simultaneous mode. An invalid
 * configuration or package is {@code 422} with its diagnostics, a change an in-place update cannot make (or a second
 * rollout while one runs) is {@code 409}, a bad mode {@code 400}; otherwise the operations started.
 */
final class ConfigurationUpdate {

    private ConfigurationUpdate() {
    }

    /** The operations started (empty: nothing changed). */
    static List<OperationRecord> apply(Fabric fabric, DeploymentRecord d, Path cscfg, String mode)
            throws DeploymentRejectedException {
        try {
            return fabric.changeConfiguration(d.id(), cscfg, mode(mode));
        } catch (IllegalStateException e) {
            throw new FabricException(ErrorKind.CONFLICT, "ConfigurationChangeRefused", e.getMessage(), List.of(), e);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        }
    }

    /** Upgrade Deployment: the operations started (the rollout first, then any scale the new counts need). */
    static List<OperationRecord> upgrade(Fabric fabric, DeploymentRecord d, Path service, Path cscfg, String mode,
                                         String role) throws DeploymentRejectedException {
        try {
            return fabric.upgrade(d.id(), service, cscfg, mode(mode), role == null || role.isBlank() ? null : role);
        } catch (IllegalStateException e) {
            throw new FabricException(ErrorKind.CONFLICT, "UpgradeRefused", e.getMessage(), List.of(), e);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        }
    }

    /** The mode as the API spells it (null or blank: auto). */
    static org.csemu.fabric.deployment.UpgradeMode mode(String mode) {
        return mode == null || mode.isBlank() ? org.csemu.fabric.deployment.UpgradeMode.AUTO
                : org.csemu.fabric.deployment.UpgradeMode.parse(mode);
    }
}
