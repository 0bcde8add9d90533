package org.csemu.fabric.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.fabric.deployment.RoleConfigurationDelta;

/**
 * What a new service configuration changes against the deployed one, per role: the part the controller applies in
 * place ({@link RoleConfigurationDelta}: settings, certificates, OS image), the new instance counts (scale
 * operations), and what an in-place update cannot do (the classic rules: renaming or adding roles needs an upgrade).
 * A new {@code vmName} takes effect for instances created or reimaged afterwards (it names the computer at first
 * boot), like the hostname of a real role instance. Endpoint ACLs change on the VIP's listeners at once, with no
 * instance touched, as in the cloud (the ACL is the load balancer's, not the instance's).
 *
 * @param instanceCounts      every role's {@code Instances@count} in the new configuration
 * @param refusals            one line per change an in-place update cannot make (empty: the change is allowed)
 * @param endpointAclsChanged an endpoint's ACL was added, removed or got other rules
 */
public record ConfigurationDiff(List<RoleConfigurationDelta> deltas, Map<String, Integer> instanceCounts,
                                List<String> refusals, boolean endpointAclsChanged) {
    public ConfigurationDiff {
        deltas = List.copyOf(deltas);
        instanceCounts = Map.copyOf(instanceCounts);
        refusals = List.copyOf(refusals);
    }

    public static ConfigurationDiff between(ServiceConfiguration before, ServiceConfiguration after) {
        List<RoleConfigurationDelta> deltas = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> refusals = new ArrayList<>();
        for (RoleConfiguration next : after.roles()) {
            counts.put(next.name(), next.instanceCount());
            RoleConfiguration old = before.role(next.name()).orElse(null);
            if (old == null) {
                refusals.add("role " + next.name() + " is not in the deployed configuration (adding a role needs"
                        + " a new deployment)");
                continue;
            }
            RoleConfigurationDelta delta = new RoleConfigurationDelta(next.name(), changedSettings(old, next),
                    !certificates(old).equals(certificates(next)),
                    !Objects.equals(blankToNull(old.osImageHref()), blankToNull(next.osImageHref())),
                    blankToNull(next.osImageHref()));
            if (!delta.isEmpty()) {
                deltas.add(delta);
            }
        }
        for (RoleConfiguration old : before.roles()) {
            if (after.role(old.name()).isEmpty()) {
                refusals.add("role " + old.name() + " is missing from the new configuration");
            }
        }
        return new ConfigurationDiff(deltas, counts, refusals, !endpointAcls(before).equals(endpointAcls(after)));
    }

    /** Each endpoint's ACL as the LB gets it (role/endpoint → rules), without source positions. */
    private static Map<String, List<String>> endpointAcls(ServiceConfiguration c) {
        Map<String, List<String>> out = new TreeMap<>();
        c.networkConfiguration().ifPresent(net -> net.endpointAcls().forEach(a -> out.putIfAbsent(
                a.role() + "/" + a.endpoint(), net.accessControls().stream()
                        .filter(acl -> acl.name().equals(a.accessControl())).findFirst()
                        .map(acl -> acl.rules().stream().map(r -> r.order() + " " + r.action() + " "
                                + r.remoteSubnet() + " " + r.description()).sorted().toList())
                        .orElse(List.of()))));
        return out;
    }

    private static List<String> changedSettings(RoleConfiguration old, RoleConfiguration next) {
        TreeSet<String> names = new TreeSet<>();
        old.settings().forEach(s -> names.add(s.name()));
        next.settings().forEach(s -> names.add(s.name()));
        return names.stream().filter(n -> !Objects.equals(old.setting(n).orElse(null), next.setting(n).orElse(null)))
                .toList();
    }

    private static Map<String, String> certificates(RoleConfiguration r) {
        Map<String, String> m = new TreeMap<>();
        r.certificates().forEach(c -> m.put(c.name(), c.thumbprintAlgorithm() + ":" + String.valueOf(c.thumbprint()).toUpperCase(java.util.Locale.ROOT)));
        return m;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
