package org.csemu.fabric.deployment;

import java.util.List;

/**
 * One deployment as the API shows it.
 *
 * @param status the cloud's deployment status: Running, Suspended, RunningTransitioning, SuspendedTransitioning
 */
public record DeploymentSnapshot(String id, String name, String serviceName, Slot slot, String status,
                             List<RoleRecord> roles, List<InstanceSnapshot> instances) {
    public DeploymentSnapshot {
        roles = List.copyOf(roles);
        instances = List.copyOf(instances);
    }
}
