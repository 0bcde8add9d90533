package org.csemu.fabric.deployment;

import java.util.List;

/**
 * Everything the user asked for: the fabric's {@code desired.json}.
 *
 * @param fabricId the id of this data directory, written into every domain's metadata, so recovery only ever adopts
 *                 or deletes domains of this fabric
 */
public record DesiredState(int version, String fabricId, List<DeploymentRecord> deployments) {
    public static final int VERSION = 1;

    public DesiredState {
        deployments = List.copyOf(deployments);
    }
}
