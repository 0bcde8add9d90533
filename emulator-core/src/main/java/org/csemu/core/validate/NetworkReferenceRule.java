package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.RoleDefinition;

/**
 * NetworkConfiguration refers to real things: InstanceAddress and EndpointAcl name defined roles, an EndpointAcl
 * names an input endpoint of its role and a declared AccessControl, a VirtualIP's Endpoint names an input endpoint of
 * a defined role, and InputEndpoint@loadBalancer names a configured internal LoadBalancer.
 */
final class NetworkReferenceRule extends BaseRule {

    NetworkReferenceRule() {
        super("SVC112", Severity.ERROR, "NetworkConfiguration and loadBalancer references name existing items");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var def = context.definition();
        List<String> roles = def.roles().stream().map(RoleDefinition::name).toList();
        var network = context.config().networkConfiguration();
        List<String> loadBalancers = network.map(n -> n.loadBalancers().stream()
                .map(NetworkConfiguration.LoadBalancerDefinition::name).toList()).orElse(List.of());
        for (RoleDefinition role : def.roles()) {
            for (InputEndpoint e : role.endpoints().input()) {
                if (e.loadBalancer() != null && !loadBalancers.contains(e.loadBalancer())) {
                    findings.report(e.location(), "role '" + role.name() + "': input endpoint '" + e.name()
                            + "' names load balancer '" + e.loadBalancer() + "', which the configuration does not "
                            + "declare" + Names.didYouMean(e.loadBalancer(), loadBalancers),
                            "declare <LoadBalancer name=\"" + e.loadBalancer() + "\"> under NetworkConfiguration/"
                                    + "LoadBalancers in the configuration, or remove loadBalancer");
                }
            }
        }
        if (network.isEmpty()) {
            return;
        }
        NetworkConfiguration net = network.get();
        for (NetworkConfiguration.InstanceAddress a : net.addressAssignments()) {
            if (def.role(a.roleName()).isEmpty()) {
                findings.report(a.location(), "NetworkConfiguration: InstanceAddress names role '" + a.roleName()
                        + "', which the definition does not define" + Names.didYouMean(a.roleName(), roles),
                        "use the name of a defined role: " + Names.quotedList(roles));
            }
        }
        for (NetworkConfiguration.VirtualIp vip : net.virtualIps()) {
            for (NetworkConfiguration.VipEndpoint e : vip.endpoints()) {
                var role = def.role(e.role());
                if (role.isEmpty()) {
                    findings.report(e.location(), "NetworkConfiguration: VirtualIP '" + vip.name() + "' names role '" + e.role()
                            + "', which the definition does not define" + Names.didYouMean(e.role(), roles),
                            "use the name of a defined role: " + Names.quotedList(roles));
                } else if (!inputEndpointNames(role.get()).contains(e.name())) {
                    List<String> inputs = inputEndpointNames(role.get());
                    findings.report(e.location(), "NetworkConfiguration: VirtualIP '" + vip.name() + "' names endpoint '"
                            + e.name() + "' of role '" + e.role() + "', which is not one of its input endpoints"
                            + Names.didYouMean(e.name(), inputs),
                            "a VIP serves input endpoints: use one of " + Names.quotedList(inputs));
                }
            }
        }
        List<String> acls = net.accessControls().stream().map(NetworkConfiguration.AccessControl::name).toList();
        for (NetworkConfiguration.EndpointAcl acl : net.endpointAcls()) {
            var role = def.role(acl.role());
            if (role.isEmpty()) {
                findings.report(acl.location(), "NetworkConfiguration: EndpointAcl names role '" + acl.role()
                        + "', which the definition does not define" + Names.didYouMean(acl.role(), roles),
                        "use the name of a defined role: " + Names.quotedList(roles));
            } else {
                List<String> inputs = inputEndpointNames(role.get());
                if (!inputs.contains(acl.endpoint())) {
                    findings.report(acl.location(), "NetworkConfiguration: EndpointAcl names endpoint '"
                            + acl.endpoint() + "' of role '" + acl.role() + "', which is not one of its input endpoints"
                            + Names.didYouMean(acl.endpoint(), inputs),
                            "ACLs apply to input endpoints: use one of " + Names.quotedList(inputs));
                }
            }
            if (!acls.contains(acl.accessControl())) {
                findings.report(acl.location(), "NetworkConfiguration: EndpointAcl names access control '"
                        + acl.accessControl() + "', which is not declared" + Names.didYouMean(acl.accessControl(), acls),
                        "declare <AccessControl name=\"" + acl.accessControl() + "\"> under AccessControls");
            }
        }
    }

    /** The input and instance input endpoints of a role: what a VIP and an ACL apply to. */
    private static List<String> inputEndpointNames(RoleDefinition role) {
        List<String> inputs = new ArrayList<>();
        role.endpoints().input().forEach(e -> inputs.add(e.name()));
        role.endpoints().instanceInput().forEach(e -> inputs.add(e.name()));
        return inputs;
    }
}
