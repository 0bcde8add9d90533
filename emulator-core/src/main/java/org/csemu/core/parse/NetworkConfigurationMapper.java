package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;

import org.csemu.core.model.NetworkConfiguration;
import org.csemu.schemas.cscfg.AccessControl;
import org.csemu.schemas.cscfg.EndpointAcl;
import org.csemu.schemas.cscfg.InstanceAddress;
import org.csemu.schemas.cscfg.LoadBalancer;
import org.csemu.schemas.cscfg.ReservedIP;
import org.csemu.schemas.cscfg.ReservedIPs;
import org.csemu.schemas.cscfg.VirtualIP;
import org.csemu.schemas.cscfg.VirtualIPs;
import org.glassfish.jaxb.core.Locatable;

/**
 * NetworkConfiguration of the .cscfg. NetworkSecurityGroupRefs and PublicIP@domainNameLabel are validated (schema, and
 * the file's schemaVersion) but not kept: the model has no use for them on one machine. VirtualIPs are kept with the
 * endpoints they list, so the validator can check those name real input endpoints.
 */
final class NetworkConfigurationMapper {

    private final MappingContext context;
    private final SchemaGeneration generation;

    NetworkConfigurationMapper(MappingContext context, SchemaGeneration generation) {
        this.context = context;
        this.generation = generation;
    }

    NetworkConfiguration map(org.csemu.schemas.cscfg.NetworkConfiguration xml) {
        List<NetworkConfiguration.DnsServer> dns = xml.getDns() == null || xml.getDns().getDnsServers() == null ? List.of()
                : xml.getDns().getDnsServers().getDnsServer().stream()
                        .map(d -> new NetworkConfiguration.DnsServer(d.getName(), d.getIPAddress(), context.at(d))).toList();
        String site = xml.getVirtualNetworkSite() == null ? null : xml.getVirtualNetworkSite().getName();
        List<NetworkConfiguration.InstanceAddress> addresses = new ArrayList<>();
        List<String> reserved = new ArrayList<>();
        List<NetworkConfiguration.VirtualIp> vips = new ArrayList<>();
        if (xml.getAddressAssignments() != null) {
            ReservedIPs reservedIps = null;
            VirtualIPs virtualIps = null;
            for (Object item : xml.getAddressAssignments().getInDocumentOrder()) {
                if (item instanceof InstanceAddress a) {
                    addresses.add(address(a));
                } else if (item instanceof VirtualIPs v) {
                    onlyOnce(virtualIps, v, "VirtualIPs");
                    generation.require(v, "<VirtualIPs>", SchemaGeneration.MULTIPLE_VIPS);
                    virtualIps = v;
                    v.getVirtualIP().forEach(vip -> vips.add(virtualIp(vip)));
                } else if (item instanceof ReservedIPs r) {
                    onlyOnce(reservedIps, r, "ReservedIPs");
                    reservedIps = r;
                    for (ReservedIP ip : r.getReservedIP()) {
                        if (ip.getVirtualIpName() != null) {
                            generation.require(ip, "ReservedIP@virtualIpName", SchemaGeneration.MULTIPLE_VIPS);
                        }
                        reserved.add(ip.getName());
                    }
                }
            }
        }
        List<NetworkConfiguration.AccessControl> acls = xml.getAccessControls() == null ? List.of()
                : xml.getAccessControls().getAccessControl().stream().map(this::accessControl).toList();
        List<NetworkConfiguration.EndpointAcl> endpointAcls = xml.getEndpointAcls() == null ? List.of()
                : xml.getEndpointAcls().getEndpointAcl().stream().map(this::endpointAcl).toList();
        List<NetworkConfiguration.LoadBalancerDefinition> loadBalancers = xml.getLoadBalancers() == null ? List.of()
                : xml.getLoadBalancers().getLoadBalancer().stream().map(this::loadBalancer).toList();
        return new NetworkConfiguration(dns, site, addresses, reserved, acls, endpointAcls, loadBalancers, vips, context.at(xml));
    }

    private NetworkConfiguration.VirtualIp virtualIp(VirtualIP vip) {
        List<NetworkConfiguration.VipEndpoint> endpoints = vip.getEndpoints() == null ? List.of()
                : vip.getEndpoints().getEndpoint().stream()
                        .map(e -> new NetworkConfiguration.VipEndpoint(e.getRole(), e.getName(), context.at(e))).toList();
        return new NetworkConfiguration.VirtualIp(vip.getName(), endpoints, context.at(vip));
    }

    private void onlyOnce(Locatable earlier, Locatable repeated, String element) {
        if (earlier != null) {
            context.error(SchemaRule.UNEXPECTED_ELEMENT, repeated, "<" + element + "> appears twice in <AddressAssignments>",
                    "merge the two <" + element + "> elements into one");
        }
    }

    private NetworkConfiguration.InstanceAddress address(InstanceAddress a) {
        if (a.getPublicIPs() != null && a.getPublicIPs().getPublicIP() != null && a.getPublicIPs().getPublicIP().getDomainNameLabel() != null) {
            generation.require(a.getPublicIPs().getPublicIP(), "PublicIP@domainNameLabel", SchemaGeneration.PUBLIC_IP_DNS_LABEL);
        }
        List<String> subnets = a.getSubnets() == null ? List.of() : a.getSubnets().getSubnet().stream().map(s -> s.getName()).toList();
        List<NetworkConfiguration.PublicIp> publicIps = a.getPublicIPs() == null || a.getPublicIPs().getPublicIP() == null ? List.of()
                : List.of(new NetworkConfiguration.PublicIp(a.getPublicIPs().getPublicIP().getName(),
                        a.getPublicIPs().getPublicIP().getIdleTimeoutInMinutes() == null ? 0 : a.getPublicIPs().getPublicIP().getIdleTimeoutInMinutes(),
                        context.at(a.getPublicIPs().getPublicIP())));
        return new NetworkConfiguration.InstanceAddress(a.getRoleName(), subnets, publicIps, context.at(a));
    }

    private NetworkConfiguration.AccessControl accessControl(AccessControl acl) {
        List<NetworkConfiguration.AclRule> rules = acl.getRule().stream()
                .map(r -> new NetworkConfiguration.AclRule(r.getOrder(), r.getAction().value(), r.getRemoteSubnet(),
                        r.getDescription(), context.at(r))).toList();
        return new NetworkConfiguration.AccessControl(acl.getName(), rules, context.at(acl));
    }

    private NetworkConfiguration.EndpointAcl endpointAcl(EndpointAcl acl) {
        String endpoint = acl.getEndPointXsdSpelling() != null ? acl.getEndPointXsdSpelling() : acl.getEndpointDocSpelling();
        if (endpoint == null) {
            context.error(SchemaRule.ENDPOINT_ACL_ENDPOINT, acl, "EndpointAcl for role '" + acl.getRole()
                    + "' does not name the endpoint", "add endPoint=\"<input endpoint name>\"");
        } else if (acl.getEndPointXsdSpelling() != null && acl.getEndpointDocSpelling() != null
                && !acl.getEndPointXsdSpelling().equals(acl.getEndpointDocSpelling())) {
            context.error(SchemaRule.ENDPOINT_ACL_ENDPOINT, acl, "EndpointAcl for role '" + acl.getRole()
                    + "' names two different endpoints (endPoint and endpoint)", "keep only endPoint");
        }
        return new NetworkConfiguration.EndpointAcl(acl.getRole(), endpoint, acl.getAccessControl(), context.at(acl));
    }

    private NetworkConfiguration.LoadBalancerDefinition loadBalancer(LoadBalancer lb) {
        var frontend = lb.getFrontendIPConfiguration();
        return new NetworkConfiguration.LoadBalancerDefinition(lb.getName(), frontend.getType().value(), frontend.getSubnet(),
                frontend.getStaticVirtualNetworkIPAddress(), context.at(lb));
    }
}
