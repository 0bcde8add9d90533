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
 */
public record CreateDeploymentRequest(String name, UploadedFile service, boolean serviceIsDirectory,
        UploadedFile configuration, boolean start, boolean treatWarningsAsErrors) {
    public CreateDeploymentRequest {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(configuration, "configuration");
    }
}
