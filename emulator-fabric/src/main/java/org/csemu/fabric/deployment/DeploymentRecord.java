package org.csemu.fabric.deployment;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The desired state of one deployment.
 *
 * @param id          the private deployment id (32 hex digits, like the cloud's)
 * @param name        the user's deployment name (unique per fabric)
 * @param suspended   desired deployment status: Suspended, else Running
 * @param deleting    a delete of the whole deployment was requested (recovery finishes it)
 * @param instances   ordered by role (document order) then index
 * @param serviceRevision the current revision of the service (0 at create; each configuration change and upgrade
 *                    adds one); new instances boot from it, the others from their own {@link InstanceRecord#serviceRevision}
 */
public record DeploymentRecord(String id, String name, String serviceName, Slot slot, boolean suspended,
                               boolean deleting, int upgradeDomainCount, List<RoleRecord> roles, List<InstanceRecord> instances,
                               Instant created, int serviceRevision) {
    public DeploymentRecord {
        roles = List.copyOf(roles);
        instances = List.copyOf(instances);
    }

    public Optional<RoleRecord> role(String roleName) {
        return roles.stream().filter(r -> r.name().equals(roleName)).findFirst();
    }

    public Optional<InstanceRecord> instance(String instanceId) {
        return instances.stream().filter(i -> i.id().equals(instanceId)).findFirst();
    }

    public DeploymentRecord withInstances(List<InstanceRecord> newInstances) {
        return new DeploymentRecord(id, name, serviceName, slot, suspended, deleting, upgradeDomainCount, roles, newInstances,
                created, serviceRevision);
    }

    public DeploymentRecord withInstance(String instanceId, UnaryOperator<InstanceRecord> change) {
        return withInstances(instances.stream().map(i -> i.id().equals(instanceId) ? change.apply(i) : i).toList());
    }

    public DeploymentRecord withRole(RoleRecord role) {
        return new DeploymentRecord(id, name, serviceName, slot, suspended, deleting, upgradeDomainCount,
                roles.stream().map(r -> r.name().equals(role.name()) ? role : r).toList(), instances, created, serviceRevision);
    }

    public DeploymentRecord markedDeleting() {
        return new DeploymentRecord(id, name, serviceName, slot, suspended, true, upgradeDomainCount, roles, instances,
                created, serviceRevision);
    }

    public DeploymentRecord withSlot(Slot value) {
        return new DeploymentRecord(id, name, serviceName, value, suspended, deleting, upgradeDomainCount, roles, instances,
                created, serviceRevision);
    }

    public DeploymentRecord withServiceRevision(int value) {
        return new DeploymentRecord(id, name, serviceName, slot, suspended, deleting, upgradeDomainCount, roles, instances,
                created, value);
    }

    public DeploymentRecord withSuspended(boolean value) {
        return new DeploymentRecord(id, name, serviceName, slot, value, deleting, upgradeDomainCount, roles, instances, created, serviceRevision);
    }
}
