package org.csemu.core.topology;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.TrafficRule;

/**
 * Which roles may open connections to each internal endpoint, as the definition's {@code NetworkTrafficRules} say
 * and the cloud enforces them: an endpoint that no {@code OnlyAllowTrafficTo} names accepts every role of the
 * service; one that rules name accepts the union of those rules' {@code FromRole}s, or every role when one of them
 * says {@code AllowAllTraffic}. A role not allowed is refused, its own role included. Nothing outside the
 * deployment is ever allowed. Computed once from the definition; the fabric's relay asks it per connection.
 */
public final class TrafficPolicy {
    private final Set<String> roles;
    private final Map<String, Set<String>> allowed;

    private TrafficPolicy(Set<String> roles, Map<String, Set<String>> allowed) {
        this.roles = roles;
        this.allowed = allowed;
    }

    public static TrafficPolicy of(ServiceDefinition definition) {
        Set<String> roles = new LinkedHashSet<>();
        for (RoleDefinition r : definition.roles()) {
            roles.add(r.name());
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (TrafficRule rule : definition.networkTrafficRules()) {
            for (TrafficRule.RoleEndpointRef to : rule.destinations()) {
                Set<String> from = allowed.computeIfAbsent(key(to.roleName(), to.endpointName()),
                        k -> new LinkedHashSet<>());
                if (rule.allowAllTraffic()) {
                    from.addAll(roles);
                } else {
                    rule.fromRoles().forEach(r -> from.add(r.roleName()));
                }
            }
        }
        allowed.replaceAll((k, v) -> Set.copyOf(v));
        return new TrafficPolicy(Set.copyOf(roles), Map.copyOf(allowed));
    }

    /** True when an instance of {@code sourceRole} may connect to {@code role}'s internal endpoint {@code endpoint}. */
    public boolean allows(String sourceRole, String role, String endpoint) {
        if (!roles.contains(sourceRole)) {
            return false;
        }
        Set<String> from = allowed.get(key(role, endpoint));
        return from == null || from.contains(sourceRole);
    }

    /** The roles that may connect to {@code role}'s internal endpoint {@code endpoint}. */
    public Set<String> allowedSources(String role, String endpoint) {
        return allowed.getOrDefault(key(role, endpoint), roles);
    }

    /** True when some rule names this endpoint (its traffic is restricted). */
    public boolean restricted(String role, String endpoint) {
        return allowed.containsKey(key(role, endpoint));
    }

    /** Every internal endpoint of the definition with the roles allowed to reach it, in document order. */
    public static Map<String, Set<String>> describe(ServiceDefinition definition) {
        TrafficPolicy p = of(definition);
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (RoleDefinition r : definition.roles()) {
            for (InternalEndpoint e : r.endpoints().internal()) {
                out.put(key(r.name(), e.name()), p.allowedSources(r.name(), e.name()));
            }
        }
        return out;
    }

    private static String key(String role, String endpoint) {
        return role + "/" + endpoint;
    }

    @Override
    public String toString() {
        return "TrafficPolicy" + allowed + " (unnamed endpoints: every role of " + List.copyOf(roles) + ")";
    }
}
