package org.csemu.fabric.api;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a {@link FabricServiceFactory} is told about the daemon it runs in.
 *
 * @param dataDirectory the daemon's data directory (desired state, images, disks live below it)
 * @param stopInstancesOnExit whether {@link FabricService#shutdown} will be asked to stop the VMs
 */
public record FabricContext(Path dataDirectory, boolean stopInstancesOnExit) {
    public FabricContext {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
    }
}
