package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.model.TrafficRule;
import org.csemu.schemas.csdef.LoadBalancerProbes;
import org.csemu.schemas.csdef.NetworkTrafficRules;
import org.csemu.schemas.csdef.OnlyAllowTrafficTo;

/** The JAXB service definition to the immutable {@link ServiceDefinition}: service attributes, probes, roles, traffic rules. */
final class DefinitionMapper {

    private final MappingContext context;
    private final RoleMapper roles;

    DefinitionMapper(MappingContext context) {
        this.context = context;
        this.roles = new RoleMapper(context);
    }

    ServiceDefinition map(org.csemu.schemas.csdef.ServiceDefinition xml) {
        List<RoleDefinition> mappedRoles = new ArrayList<>();
        for (Object role : xml.getWebRoleOrWorkerRoleOrVirtualMachineRole()) {
            mappedRoles.add(roles.map(role));
        }
        TopologyChangeDiscovery discovery = xml.getTopologyChangeDiscovery() == null
                ? TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK
                : topology(xml.getTopologyChangeDiscovery().value());
        return new ServiceDefinition(xml.getName(),
                xml.getUpgradeDomainCount() == null ? ServiceModelDefaults.UPGRADE_DOMAIN_COUNT : xml.getUpgradeDomainCount(),
                xml.getSchemaVersion() == null || xml.getSchemaVersion().isBlank() ? ServiceModelDefaults.SCHEMA_VERSION : xml.getSchemaVersion().trim(),
                discovery, probes(xml.getLoadBalancerProbes()), mappedRoles, trafficRules(xml.getNetworkTrafficRules()), context.at(xml));
    }

    private List<LoadBalancerProbe> probes(LoadBalancerProbes probes) {
        if (probes == null) {
            return List.of();
        }
        List<LoadBalancerProbe> out = new ArrayList<>();
        for (org.csemu.schemas.csdef.LoadBalancerProbe p : probes.getLoadBalancerProbe()) {
            LoadBalancerProbe.ProbeProtocol protocol = p.getProtocol().value().equals("http")
                    ? LoadBalancerProbe.ProbeProtocol.HTTP : LoadBalancerProbe.ProbeProtocol.TCP;
            out.add(new LoadBalancerProbe(p.getName(), protocol, p.getPath(), p.getPort() == null ? 0 : p.getPort(),
                    p.getIntervalInSeconds() == null ? ServiceModelDefaults.PROBE_INTERVAL_SECONDS : p.getIntervalInSeconds(),
                    p.getTimeoutInSeconds() == null ? ServiceModelDefaults.PROBE_TIMEOUT_SECONDS : p.getTimeoutInSeconds(),
                    context.at(p)));
        }
        return out;
    }

    private List<TrafficRule> trafficRules(NetworkTrafficRules rules) {
        if (rules == null) {
            return List.of();
        }
        List<TrafficRule> out = new ArrayList<>();
        for (OnlyAllowTrafficTo rule : rules.getOnlyAllowTrafficTo()) {
            List<TrafficRule.RoleEndpointRef> destinations = rule.getDestinations().getRoleEndpoint().stream()
                    .map(d -> new TrafficRule.RoleEndpointRef(d.getRoleName(), d.getEndpointName(), context.at(d))).toList();
            List<TrafficRule.RoleRef> from = rule.getWhenSource() == null ? List.of()
                    : rule.getWhenSource().getFromRole().stream().map(f -> new TrafficRule.RoleRef(f.getRoleName(), context.at(f))).toList();
            out.add(new TrafficRule(destinations, rule.getAllowAllTraffic() != null, from, context.at(rule)));
        }
        return out;
    }

    private static TopologyChangeDiscovery topology(String xmlValue) {
        for (TopologyChangeDiscovery t : TopologyChangeDiscovery.values()) {
            if (t.xmlValue().equals(xmlValue)) {
                return t;
            }
        }
        throw new IllegalArgumentException("topologyChangeDiscovery not in the model: " + xmlValue);
    }
}
