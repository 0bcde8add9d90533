package org.csemu.fabric.deployment;

import java.time.Instant;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.spi.InstanceRef;

/** One instance as the API shows it (the cloud's RoleInstance fields that the fabric controls). */
public record InstanceSnapshot(InstanceRef ref, int updateDomain, int faultDomain, InstanceState state, Instant since,
                           String stateDetails, long overlayGeneration, boolean inRotation, String errorCode) {
    public InstanceSnapshot(InstanceRef ref, int updateDomain, int faultDomain, InstanceState state, Instant since,
                            String stateDetails, long overlayGeneration, boolean inRotation) {
        this(ref, updateDomain, faultDomain, state, since, stateDetails, overlayGeneration, inRotation, null);
    }
}
