package org.csemu.fabric.api;

import java.time.Instant;
import java.util.List;

/**
 * A deployment as the API shows it.
 *
 * @param id stable id used in URLs
 * @param name the user-facing name
 * @param status Running, Suspended, RunningTransitioning, SuspendedTransitioning, Starting, Suspending, Deploying,
 *     Deleting (the classic Deployment Status values)
 * @param vip the virtual IP address of the input endpoints
 * @param createdAt when it was created
 * @param roles every role with its instances
 * @param endpoints the input endpoints on the VIP (with the port actually bound)
 * @param warnings validation warnings kept from creation
 * @param slot Production or Staging (the classic DeploymentSlot)
 * @param upgrade the configuration change, upgrade or rollback in progress, or null
 */
public record DeploymentView(String id, String name, String status, String vip, Instant createdAt,
        List<RoleView> roles, List<EndpointView> endpoints, List<DiagnosticView> warnings, String slot,
        UpgradeView upgrade) {
    public DeploymentView {
        roles = roles == null ? List.of() : List.copyOf(roles);
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        slot = slot == null ? "Production" : slot;
    }

    /** A production-slot deployment. */
    public DeploymentView(String id, String name, String status, String vip, Instant createdAt,
            List<RoleView> roles, List<EndpointView> endpoints, List<DiagnosticView> warnings) {
        this(id, name, status, vip, createdAt, roles, endpoints, warnings, "Production", null);
    }

    /** A deployment with no rollout in progress. */
    public DeploymentView(String id, String name, String status, String vip, Instant createdAt,
            List<RoleView> roles, List<EndpointView> endpoints, List<DiagnosticView> warnings, String slot) {
        this(id, name, status, vip, createdAt, roles, endpoints, warnings, slot, null);
    }
}
