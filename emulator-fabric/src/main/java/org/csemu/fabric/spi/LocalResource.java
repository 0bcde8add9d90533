package org.csemu.fabric.spi;

/**
 * A local-storage resource of an instance (from the role's {@code LocalStorage} declaration), without the source
 * location so it can be persisted and handed to the substrate as is.
 */
public record LocalResource(String name, int sizeInMB, boolean cleanOnRoleRecycle) {

    public static LocalResource of(org.csemu.core.model.LocalStorage declaration) {
        return new LocalResource(declaration.name(), declaration.sizeInMB(), declaration.cleanOnRoleRecycle());
    }
}
