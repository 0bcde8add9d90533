package org.csemu.fabric.vm;

import java.util.Objects;

/**
 * What csemu stores in a domain's {@code <metadata>} so it can find and adopt its guests after a daemon restart:
 * which data directory, deployment, role and instance a domain belongs to, and which overlay generation it runs.
 */
public record DomainMetadata(String dataDirId, String deploymentId, String roleName, String instanceId, int overlayGeneration) {

    /** The XML namespace of csemu's domain metadata element. */
    public static final String NAMESPACE = "https://csemu.org/xmlns/libvirt-domain/1";
    public static final String PREFIX = "csemu";
    public static final String ELEMENT = "instance";

    public DomainMetadata {
        Objects.requireNonNull(dataDirId, "dataDirId");
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(roleName, "roleName");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    public DomainMetadata withOverlayGeneration(int generation) {
        return new DomainMetadata(dataDirId, deploymentId, roleName, instanceId, generation);
    }
}
