package org.csemu.fabric.deployment;

import java.util.List;

/**
 * One deployment as the API shows it.
 *
 * @param status the cloud's deployment status: Running, Suspended, RunningTransitioning, SuspendedTransitioning
 */
public record DeploymentView(String id, String name, String serviceName, Slot slot, String status,
                             List<RoleRecord> roles, List<InstanceView> instances) {
    public DeploymentView {
        roles = List.copyOf(roles);
        instances = List.copyOf(instances);
    }
}
