package org.csemu.core.model;

import java.util.List;

/**
 * NetworkTrafficRules/OnlyAllowTrafficTo: traffic to {@code destinations} (internal endpoints) is allowed from
 * {@code fromRoles} only, or from everyone when {@code allowAllTraffic}.
 */
public record TrafficRule(List<RoleEndpointRef> destinations, boolean allowAllTraffic, List<RoleRef> fromRoles, SourceLocation location) {

    public TrafficRule {
        destinations = List.copyOf(destinations);
        fromRoles = List.copyOf(fromRoles);
    }

    /** Destinations/RoleEndpoint. */
    public record RoleEndpointRef(String roleName, String endpointName, SourceLocation location) {
    }

    /** WhenSource/FromRole. */
    public record RoleRef(String roleName, SourceLocation location) {
    }
}
