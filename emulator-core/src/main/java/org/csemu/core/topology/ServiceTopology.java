package org.csemu.core.topology;

import java.util.List;
import java.util.Optional;

/** Every role instance of a deployment with its update and fault domain; the fabric creates one VM per instance. */
public record ServiceTopology(String serviceName, int upgradeDomainCount, int faultDomainCount, List<RoleTopology> roles) {

    public ServiceTopology {
        roles = List.copyOf(roles);
    }

    public Optional<RoleTopology> role(String name) {
        return roles.stream().filter(r -> r.roleName().equals(name)).findFirst();
    }

    public Optional<InstancePlacement> instance(String id) {
        return roles.stream().flatMap(r -> r.instances().stream()).filter(i -> i.id().equals(id)).findFirst();
    }

    public List<InstancePlacement> allInstances() {
        return roles.stream().flatMap(r -> r.instances().stream()).toList();
    }
}
