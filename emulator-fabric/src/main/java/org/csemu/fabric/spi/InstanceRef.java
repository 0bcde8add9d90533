package org.csemu.fabric.spi;

import java.util.Objects;

/**
 * Names one role instance across the whole fabric: the libvirt domain metadata and the LB backend key are built
 * from these three fields, so they are the join key between desired state, the substrate and the rotation.
 */
public record InstanceRef(String deploymentId, String roleName, String instanceId) {
    public InstanceRef {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(roleName, "roleName");
        Objects.requireNonNull(instanceId, "instanceId");
    }

    @Override
    public String toString() {
        return deploymentId + "/" + instanceId;
    }
}
