package org.csemu.fabric.port;

import java.util.List;
import org.csemu.core.model.RoleKind;

/**
 * Everything the substrate needs to build or rebuild one instance. The generations let the substrate (and recovery)
 * tell a stale overlay or config drive from the current one: the controller bumps {@code overlayGeneration} before
 * it asks for a new overlay, and {@code recycleGeneration} whenever the role recycles (the guest agent wipes
 * {@code cleanOnRoleRecycle} resources when it sees a new recycle id).
 *
 * @param index           n of {@code <Role>_IN_<n>}
 * @param osImage         the image name or href of the role ({@code OsImage@href}), or null for the default image
 */
public record InstanceSpec(
        InstanceRef ref,
        RoleKind roleKind,
        int index,
        int updateDomain,
        int faultDomain,
        long overlayGeneration,
        long recycleGeneration,
        List<LocalResource> localStorage,
        String osImage) {
    public InstanceSpec {
        localStorage = List.copyOf(localStorage);
    }
}
