package org.csemu.core.model;

import java.util.List;
import java.util.Optional;

/**
 * A parsed service configuration (.cscfg): immutable, independent of JAXB.
 *
 * @param osFamily      as written, or null
 * @param osVersion     as written, or null ({@code *} in the cloud)
 * @param schemaVersion as written, or {@code "unspecified"}
 */
public record ServiceConfiguration(
        String serviceName,
        String osFamily,
        String osVersion,
        String schemaVersion,
        List<RoleConfiguration> roles,
        Optional<NetworkConfiguration> networkConfiguration,
        Optional<GuestAgentSettings> guestAgentSettings,
        SourceLocation location) {

    public ServiceConfiguration {
        roles = List.copyOf(roles);
    }

    public Optional<RoleConfiguration> role(String roleName) {
        return roles.stream().filter(r -> r.name().equals(roleName)).findFirst();
    }

    /** GuestAgentSettings: both attributes with their schema defaults applied. */
    public record GuestAgentSettings(boolean cleanupFirewallOnRoleRestart, boolean allowRoleProcessLocalDumps) {
    }
}
