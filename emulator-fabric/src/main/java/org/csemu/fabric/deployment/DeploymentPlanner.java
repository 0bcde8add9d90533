package org.csemu.fabric.deployment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.topology.InstancePlacement;
import org.csemu.core.topology.RoleTopology;
import org.csemu.core.topology.ServiceTopology;
import org.csemu.core.topology.TopologyPlanner;
import org.csemu.fabric.spi.LocalResource;

/**
 * Turns a validated service model (definition + configuration) into the desired record of a new deployment: roles in
 * document order, instances {@code <Role>_IN_0..n-1} with their update and fault domains. Ids and domains come from
 * the one {@link TopologyPlanner} (the role environment's topology is read back from these records).
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
            RoleRecord role = new RoleRecord(def.name(), def.kind(), cfg.instanceCount(),
                    def.localStorage().stream().map(LocalResource::of).toList(), cfg.osImageHref(),
                    def.endpoints().input().stream().map(InputEndpoint::name).toList());
            roles.add(role);
        }
        for (RoleTopology role : PLANNER.plan(definition, configuration).roles()) {
            role.instances().forEach(p -> instances.add(record(p)));
        }
        return new DeploymentRecord(id, name, definition.name(), slot, false, false,
                definition.upgradeDomainCount(), roles,
                instances, now, 0);
    }

    /** The {@code count} instances a scale-out adds to a role, numbered after its highest index. */
    static List<InstanceRecord> addInstances(DeploymentRecord deployment, String roleName, int count) {
        ServiceTopology now = topology(deployment);
        int before = now.role(roleName).orElseThrow().instances().size();
        List<InstancePlacement> after = PLANNER.addInstances(now, roleName, count).role(roleName).orElseThrow()
                .instances();
        return after.subList(before, after.size()).stream()
                .map(p -> record(p).withServiceRevision(deployment.serviceRevision())).toList();
    }

    private static final TopologyPlanner PLANNER = new TopologyPlanner();

    private static ServiceTopology topology(DeploymentRecord d) {
        List<RoleTopology> roles = new ArrayList<>();
        for (RoleRecord r : d.roles()) {
            List<InstancePlacement> placements = d.instances().stream().filter(i -> i.role().equals(r.name()))
                    .sorted(java.util.Comparator.comparingInt(InstanceRecord::index))
                    .map(i -> new InstancePlacement(i.id(), i.role(), i.index(), i.updateDomain(), i.faultDomain()))
                    .toList();
            int next = placements.stream().mapToInt(InstancePlacement::index).max().orElse(-1) + 1;
            roles.add(new RoleTopology(r.name(), placements, next));
        }
        return new ServiceTopology(d.serviceName(), d.upgradeDomainCount(), TopologyPlanner.DEFAULT_FAULT_DOMAIN_COUNT,
                roles);
    }

    private static InstanceRecord record(InstancePlacement p) {
        return new InstanceRecord(p.id(), p.roleName(), p.index(), p.updateDomain(), p.faultDomain(),
                DesiredPower.RUNNING, 0, 0, null, 0);
    }
}
