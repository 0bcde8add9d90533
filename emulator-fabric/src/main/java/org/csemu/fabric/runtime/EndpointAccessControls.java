package org.csemu.fabric.runtime;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.AclRule;
import org.csemu.lb.Subnet;

/**
 * The cscfg's {@code EndpointAcls} as the load balancer's ACLs: the {@code AccessControl} an {@code EndpointAcl}
 * names, for the listener of that role's input (or instance input) endpoint. The configuration was validated
 * (SVC112 references, CSCFG110 subnets and orders), so a failure here is a bug, not user input.
 */
final class EndpointAccessControls {

    private EndpointAccessControls() {
    }

    /** The ACL of {@code role}'s endpoint {@code endpoint}, or empty: every source permitted. */
    static Optional<AccessControlList> of(ServiceConfiguration configuration, String role, String endpoint) {
        return configuration.networkConfiguration().flatMap(net -> net.endpointAcls().stream()
                .filter(a -> a.role().equals(role) && a.endpoint().equals(endpoint))
                .findFirst()
                .flatMap(a -> net.accessControls().stream().filter(c -> c.name().equals(a.accessControl())).findFirst())
                .map(EndpointAccessControls::toLb));
    }

    private static AccessControlList toLb(NetworkConfiguration.AccessControl acl) {
        List<AclRule> rules = acl.rules().stream().map(r -> new AclRule(r.order(),
                "permit".equalsIgnoreCase(r.action()) ? AclRule.Action.PERMIT : AclRule.Action.DENY,
                Subnet.parse(r.remoteSubnet()), r.description())).toList();
        return new AccessControlList(acl.name(), rules);
    }
}
