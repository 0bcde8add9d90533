package org.csemu.fabric.api;

import java.util.Objects;

/**
 * A new deployment: a service (a {@code .cspkg} package, or a service directory with a {@code .csdef}) and its
 * configuration.
 *
 * @param name unique deployment name, or {@code null} to let the fabric choose one
 * @param service the package file or the service directory
 * @param serviceIsDirectory whether {@code service} names a service directory rather than a package
 * @param configuration the {@code .cscfg}
 * @param start {@code false} deploys Suspended (the classic StartDeployment flag)
 * @param treatWarningsAsErrors refuse the deployment when validation has warnings
 * @param staging deploy to the staging slot (the classic DeploymentSlot), else to production
 */
public record CreateDeploymentRequest(String name, UploadedFile service, boolean serviceIsDirectory,
        UploadedFile configuration, boolean start, boolean treatWarningsAsErrors, boolean staging) {
    public CreateDeploymentRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(configuration, "configuration");
    }

    /** A request for the production slot. */
    public CreateDeploymentRequest(String name, UploadedFile service, boolean serviceIsDirectory,
            UploadedFile configuration, boolean start, boolean treatWarningsAsErrors) {
        this(name, service, serviceIsDirectory, configuration, start, treatWarningsAsErrors, false);
    }

    /**
     * The slot named as the classic API and the CLI spell it ({@code production}, {@code staging}, any case; null or
     * blank: production).
     *
     * @throws IllegalArgumentException another word
     */
    public static boolean isStaging(String slot) {
        if (slot == null || slot.isBlank() || slot.equalsIgnoreCase("production")) {
            return false;
        }
        if (slot.equalsIgnoreCase("staging")) {
            return true;
        }
        throw new IllegalArgumentException("'slot' must be production or staging, not '" + slot + "'");
    }
}
