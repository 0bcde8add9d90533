package org.csemu.fabric.deployment;

import java.util.List;

/**
 * Everything the user asked for: the fabric's {@code desired.json}.
 *
 * @param fabricId the id of this data directory, written into every domain's metadata, so recovery only ever adopts
 *                 or deletes domains of this fabric
 * @param swaps    VIP swaps in flight (absent in files written before swaps existed)
 */
public record DesiredState(int version, String fabricId, List<DeploymentRecord> deployments, List<SwapIntent> swaps) {
    public static final int VERSION = 1;

    public DesiredState {
        deployments = List.copyOf(deployments);
        swaps = swaps == null ? List.of() : List.copyOf(swaps);
    }

    public DesiredState withDeployments(List<DeploymentRecord> newDeployments) {
        return new DesiredState(version, fabricId, newDeployments, swaps);
    }

    public DesiredState withSwaps(List<SwapIntent> newSwaps) {
        return new DesiredState(version, fabricId, deployments, newSwaps);
    }
}
