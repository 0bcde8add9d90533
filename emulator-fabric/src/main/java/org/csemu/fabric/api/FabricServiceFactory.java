package org.csemu.fabric.api;

/**
 * Builds the {@link FabricService} a daemon serves. Found through {@link java.util.ServiceLoader}, so that the
 * daemon and its API are built and tested independently of the controller that plugs into them.
 */
public interface FabricServiceFactory {

    /** Opens (recovers) the fabric state kept under the context's data directory. */
    FabricService open(FabricContext context) throws Exception;
}
