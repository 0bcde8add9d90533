package org.csemu.lb;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The endpoint ACL of a listener (cscfg {@code AccessControls/AccessControl}, attached by {@code EndpointAcl}),
 * enforced on the client's source address when a connection is accepted, before any backend is chosen.
 *
 * <p>Semantics, as the cloud documents them for endpoint ACLs (learn.microsoft.com, "What is an endpoint Access
 * Control List (ACLs)?", classic deployment model): rules are tried from the lowest {@code order} up and the first
 * whose subnet contains the source decides. A source no rule matches is <b>denied when the list has a permit rule</b>
 * (permit ranges deny every other range) and <b>permitted when it has only deny rules</b> (deny ranges permit every
 * other range). A listener with no ACL permits everything.
 *
 * @param name  the AccessControl's name, for counters and messages
 * @param rules sorted by {@code order} here; orders are unique, as in the cloud
 */
public record AccessControlList(String name, List<AclRule> rules) {

    public AccessControlList {
        Objects.requireNonNull(name, "name");
        List<AclRule> sorted = new ArrayList<>(rules);
        sorted.sort(Comparator.comparingInt(AclRule::order));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).order() == sorted.get(i - 1).order()) {
                throw new IllegalArgumentException("access control '" + name + "' has two rules with order "
                        + sorted.get(i).order() + ": give each rule its own order");
            }
        }
        rules = List.copyOf(sorted);
    }

    /** Whether a connection from {@code source} may reach the endpoint. */
    public boolean permits(InetAddress source) {
        boolean anyPermit = false;
        for (AclRule r : rules) {
            if (r.remoteSubnet().contains(source)) {
                return r.action() == AclRule.Action.PERMIT;
            }
            anyPermit |= r.action() == AclRule.Action.PERMIT;
        }
        return !anyPermit;
    }
}
