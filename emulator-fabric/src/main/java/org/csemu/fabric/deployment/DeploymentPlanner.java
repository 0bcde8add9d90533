package org.csemu.fabric.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.fabric.port.LocalResource;

/**
 * Turns a validated service model (definition + configuration) into the desired record of a new deployment: roles in
 * document order, instances {@code <Role>_IN_0..n-1} with their update and fault domains.
 */
final class DeploymentPlanner {
    private DeploymentPlanner() {
    }

    static DeploymentRecord plan(String id, String name, Slot slot, ServiceDefinition definition,
                                 ServiceConfiguration configuration, Instant now) {
        List<RoleRecord> roles = new ArrayList<>();
        List<InstanceRecord> instances = new ArrayList<>();
        for (RoleDefinition def : definition.roles()) {
            RoleConfiguration cfg = configuration.role(def.name()).orElseThrow(() -> new IllegalArgumentException(
                    "role '" + def.name() + "' of the definition has no Role element in the configuration"));
            if (cfg.instanceCount() < 0) {
                throw new IllegalArgumentException("role '" + def.name() + "': Instances@count must not be negative");
            }
            RoleRecord role = new RoleRecord(def.name(), def.kind(), cfg.instanceCount(),
                    def.localStorage().stream().map(LocalResource::of).toList(), cfg.osImageHref(),
                    def.endpoints().input().stream().map(InputEndpoint::name).toList());
            roles.add(role);
            for (int n = 0; n < cfg.instanceCount(); n++) {
                instances.add(newInstance(role.name(), n, definition.upgradeDomainCount()));
            }
        }
        return new DeploymentRecord(id, name, definition.name(), slot, false, false,
                definition.upgradeDomainCount(), roles,
                instances, now);
    }

    static InstanceRecord newInstance(String roleName, int index, int upgradeDomainCount) {
        return new InstanceRecord(InstanceTopology.instanceId(roleName, index), roleName, index,
                InstanceTopology.updateDomain(index, upgradeDomainCount), InstanceTopology.faultDomain(index),
                DesiredPower.RUNNING, 0, 0, null);
    }
}
