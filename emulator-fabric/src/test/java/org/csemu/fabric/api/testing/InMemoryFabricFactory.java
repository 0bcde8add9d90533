package org.csemu.fabric.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.csemu.fabric.api.FabricContext;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FabricServiceFactory;

/**
 * Registered (test classpath only) as the daemon's fabric, so daemon processes started by tests need no VMs.
 * Its shutdown leaves {@code test-fabric-shutdown} in the data directory: the proof that the hook ran.
 */
public final class InMemoryFabricFactory implements FabricServiceFactory {

    public static final String SHUTDOWN_MARKER = "test-fabric-shutdown";

    @Override
    public FabricService open(FabricContext context) {
        InMemoryFabric fabric = new InMemoryFabric() {
            @Override
            public void shutdown(boolean stopInstances) {
                super.shutdown(stopInstances);
                try {
                    Files.writeString(context.dataDirectory().resolve(SHUTDOWN_MARKER), "stopInstances=" + stopInstances + "\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        fabric.addDeployment("d1", 2);
        return fabric;
    }
}
