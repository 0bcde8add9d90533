package org.csemu.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A parsed service definition (.csdef): immutable, independent of JAXB, with defaults already applied.
 *
 * @param name                    the service name (must equal the configuration's serviceName)
 * @param upgradeDomainCount      default 5, at most 20
 * @param schemaVersion           as written, or {@code "unspecified"}; unknown values are accepted
 * @param topologyChangeDiscovery default {@link TopologyChangeDiscovery#UPGRADE_DOMAIN_WALK}
 * @param loadBalancerProbes      service-level probes that input endpoints refer to by name
 * @param roles                   web, worker and VM roles in document order
 * @param networkTrafficRules     the OnlyAllowTrafficTo rules
 */
public record ServiceDefinition(
        String name,
        int upgradeDomainCount,
        String schemaVersion,
        TopologyChangeDiscovery topologyChangeDiscovery,
        List<LoadBalancerProbe> loadBalancerProbes,
        List<RoleDefinition> roles,
        List<TrafficRule> networkTrafficRules,
        SourceLocation location) {

    public static final int DEFAULT_UPGRADE_DOMAIN_COUNT = 5;

    public ServiceDefinition {
        loadBalancerProbes = List.copyOf(loadBalancerProbes);
        roles = List.copyOf(roles);
        networkTrafficRules = List.copyOf(networkTrafficRules);
    }

    public Optional<RoleDefinition> role(String roleName) {
        return roles.stream().filter(r -> r.name().equals(roleName)).findFirst();
    }

    public Optional<LoadBalancerProbe> probe(String probeName) {
        return loadBalancerProbes.stream().filter(p -> p.name().equals(probeName)).findFirst();
    }
}
