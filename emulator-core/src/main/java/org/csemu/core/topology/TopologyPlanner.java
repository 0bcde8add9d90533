package org.csemu.core.topology;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;

/**
 * Assigns instance ids and domains the way the cloud does: {@code <Role>_IN_<n>} from 0, update domain
 * {@code n mod upgradeDomainCount}, fault domain {@code n mod faultDomainCount} (two, like the cloud's default; on
 * csemu fault domains map to libvirt hosts). Scaling out continues the numbering; scaling in removes the highest
 * indexes, or the instances named (like Delete Role Instances).
 */
public final class TopologyPlanner {

    public static final int DEFAULT_FAULT_DOMAIN_COUNT = 2;

    private final int faultDomainCount;

    public TopologyPlanner() {
        this(DEFAULT_FAULT_DOMAIN_COUNT);
    }

    public TopologyPlanner(int faultDomainCount) {
        if (faultDomainCount < 1) {
            throw new IllegalArgumentException("faultDomainCount must be at least 1, was " + faultDomainCount);
        }
        this.faultDomainCount = faultDomainCount;
    }

    /**
     * Plans every role of the definition with the instance count of the configuration.
     *
     * @throws IllegalArgumentException a role without configuration, or a negative count (validation reports these
     *                                  with file positions first; this is the last line of defence)
     */
    public ServiceTopology plan(ServiceDefinition definition, ServiceConfiguration configuration) {
        int uds = definition.upgradeDomainCount();
        if (uds < 1) {
            throw new IllegalArgumentException("upgradeDomainCount of service '" + definition.name() + "' must be at least 1, was " + uds);
        }
        List<RoleTopology> roles = new ArrayList<>();
        for (RoleDefinition role : definition.roles()) {
            RoleConfiguration cfg = configuration.role(role.name()).orElseThrow(() -> new IllegalArgumentException(
                    "role '" + role.name() + "' has no <Role> in the configuration of service '" + configuration.serviceName() + "'"));
            if (cfg.instanceCount() < 0) {
                throw new IllegalArgumentException("role '" + role.name() + "' has a negative instance count " + cfg.instanceCount());
            }
            List<InstancePlacement> instances = new ArrayList<>();
            for (int n = 0; n < cfg.instanceCount(); n++) {
                instances.add(place(role.name(), n, uds, faultDomainCount));
            }
            roles.add(new RoleTopology(role.name(), instances, cfg.instanceCount()));
        }
        return new ServiceTopology(definition.name(), uds, faultDomainCount, roles);
    }

    /** Scales a role to {@code count} instances: adds with the next indexes, or removes the highest indexes. */
    public ServiceTopology scale(ServiceTopology topology, String roleName, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("instance count of role '" + roleName + "' cannot be negative: " + count);
        }
        RoleTopology role = role(topology, roleName);
        int current = role.instances().size();
        if (count >= current) {
            return addInstances(topology, roleName, count - current);
        }
        List<String> highest = role.instances().subList(count, current).stream().map(InstancePlacement::id).toList();
        return removeInstances(topology, roleName, highest);
    }

    /** Adds {@code count} instances to a role, numbered after the highest index ever used. */
    public ServiceTopology addInstances(ServiceTopology topology, String roleName, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("cannot add a negative number of instances: " + count);
        }
        RoleTopology role = role(topology, roleName);
        List<InstancePlacement> instances = new ArrayList<>(role.instances());
        int next = role.nextIndex();
        for (int i = 0; i < count; i++) {
            instances.add(place(roleName, next++, topology.upgradeDomainCount(), topology.faultDomainCount()));
        }
        return replace(topology, new RoleTopology(roleName, instances, next));
    }

    /** Removes the named instances of a role (Delete Role Instances); an unknown id is an error. */
    public ServiceTopology removeInstances(ServiceTopology topology, String roleName, Collection<String> instanceIds) {
        RoleTopology role = role(topology, roleName);
        Set<String> remove = new HashSet<>(instanceIds);
        for (String id : remove) {
            if (role.instance(id).isEmpty()) {
                throw new IllegalArgumentException("role '" + roleName + "' has no instance '" + id + "'");
            }
        }
        List<InstancePlacement> kept = role.instances().stream().filter(i -> !remove.contains(i.id())).toList();
        return replace(topology, new RoleTopology(roleName, kept, role.nextIndex()));
    }

    private static InstancePlacement place(String roleName, int index, int uds, int fds) {
        return new InstancePlacement(InstancePlacement.instanceId(roleName, index), roleName, index, index % uds, index % fds);
    }

    private static RoleTopology role(ServiceTopology topology, String roleName) {
        return topology.role(roleName).orElseThrow(() -> new IllegalArgumentException(
                "service '" + topology.serviceName() + "' has no role '" + roleName + "'"));
    }

    private static ServiceTopology replace(ServiceTopology topology, RoleTopology updated) {
        List<RoleTopology> roles = topology.roles().stream().map(r -> r.roleName().equals(updated.roleName()) ? updated : r).toList();
        return new ServiceTopology(topology.serviceName(), topology.upgradeDomainCount(), topology.faultDomainCount(), roles);
    }
}
