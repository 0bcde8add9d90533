package org.csemu.core.model;

import java.util.List;

/**
 * NetworkConfiguration of the .cscfg. csemu keeps it for validation and display; on one machine there is no
 * virtual network to join, so most of it has no runtime effect. EndpointAcls and AccessControls do: the fabric gives
 * each endpoint's ACL to its VIP listener, which enforces it on the client's loopback source address.
 */
public record NetworkConfiguration(
        List<DnsServer> dnsServers,
        String virtualNetworkSite,
        List<InstanceAddress> addressAssignments,
        List<String> reservedIps,
        List<AccessControl> accessControls,
        List<EndpointAcl> endpointAcls,
        List<LoadBalancerDefinition> loadBalancers,
        List<VirtualIp> virtualIps,
        SourceLocation location) {

    public NetworkConfiguration {
        virtualIps = List.copyOf(virtualIps);
        dnsServers = List.copyOf(dnsServers);
        addressAssignments = List.copyOf(addressAssignments);
        reservedIps = List.copyOf(reservedIps);
        accessControls = List.copyOf(accessControls);
        endpointAcls = List.copyOf(endpointAcls);
        loadBalancers = List.copyOf(loadBalancers);
    }

    /** Without VirtualIPs (one VIP per service, as before schema 2015-04). */
    public NetworkConfiguration(List<DnsServer> dnsServers, String virtualNetworkSite, List<InstanceAddress> addressAssignments,
            List<String> reservedIps, List<AccessControl> accessControls, List<EndpointAcl> endpointAcls,
            List<LoadBalancerDefinition> loadBalancers, SourceLocation location) {
        this(dnsServers, virtualNetworkSite, addressAssignments, reservedIps, accessControls, endpointAcls, loadBalancers,
                List.of(), location);
    }

    public record DnsServer(String name, String ipAddress, SourceLocation location) {
    }

    public record InstanceAddress(String roleName, List<String> subnets, List<PublicIp> publicIps, SourceLocation location) {
        public InstanceAddress {
            subnets = List.copyOf(subnets);
            publicIps = List.copyOf(publicIps);
        }
    }

    /** idleTimeoutInMinutes is 0 when absent. */
    public record PublicIp(String name, int idleTimeoutInMinutes, SourceLocation location) {
    }

    public record AccessControl(String name, List<AclRule> rules, SourceLocation location) {
        public AccessControl {
            rules = List.copyOf(rules);
        }
    }

    /** action is {@code permit} or {@code deny}; remoteSubnet is a CIDR. */
    public record AclRule(int order, String action, String remoteSubnet, String description, SourceLocation location) {
    }

    public record EndpointAcl(String role, String endpoint, String accessControl, SourceLocation location) {
    }

    /** A VIP of the service (AddressAssignments/VirtualIPs) and the input endpoints it serves. */
    public record VirtualIp(String name, List<VipEndpoint> endpoints, SourceLocation location) {
        public VirtualIp {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** VirtualIP/Endpoints/Endpoint: an input endpoint (name) of a role. */
    public record VipEndpoint(String role, String name, SourceLocation location) {
    }

    /** An internal load balancer (FrontendIPConfiguration type="private"). */
    public record LoadBalancerDefinition(String name, String type, String subnet, String staticVirtualNetworkIpAddress, SourceLocation location) {
    }
}
