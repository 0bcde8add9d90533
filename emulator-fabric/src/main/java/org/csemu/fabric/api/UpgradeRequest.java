package org.csemu.fabric.api;

import java.util.Objects;

/**
 * Upgrade Deployment: a new package (or service directory) and configuration for a running deployment.
 *
 * @param serviceIsDirectory whether {@code service} names a service directory rather than a package
 * @param mode               {@code auto} (default), {@code manual} or {@code simultaneous}
 * @param role               the one role to upgrade (the classic RoleToUpgrade), or null for all
 */
public record UpgradeRequest(UploadedFile service, boolean serviceIsDirectory, UploadedFile configuration,
        String mode, String role) {
    public UpgradeRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(configuration, "configuration");
    }
}
