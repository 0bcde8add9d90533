package org.csemu.fabric.deployment;

import java.util.List;

/**
 * One deployment as the API shows it.
 *
 * @param status  the cloud's deployment status: Running, Suspended, RunningTransitioning, SuspendedTransitioning
 * @param upgrade the rollout in progress (configuration change, upgrade, rollback), or null
 */
public record DeploymentSnapshot(String id, String name, String serviceName, Slot slot, String status,
                             List<RoleRecord> roles, List<InstanceSnapshot> instances, UpgradeStatus upgrade) {
    public DeploymentSnapshot {
        roles = List.copyOf(roles);
        instances = List.copyOf(instances);
    }
}
