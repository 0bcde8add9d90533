package org.csemu.fabric.spi;

import java.util.List;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.instance.InstancePlan;

/**
 * Everything the substrate needs to build or rebuild one instance. The generations let the substrate (and recovery)
 * tell a stale overlay or config drive from the current one: the controller bumps {@code overlayGeneration} before
 * it asks for a new overlay, and {@code recycleGeneration} whenever the role recycles (the guest agent wipes
 * {@code cleanOnRoleRecycle} resources when it sees a new recycle id).
 *
 * <p>The controller hands the runtime a complete spec: {@code plan} (disks, forwards, config drive content, image)
 * is decided before the call, so the runtime never reads the model or the service store back.
 *
 * @param index           n of {@code <Role>_IN_<n>}
 * @param osImage         the image name or href of the role ({@code OsImage@href}), or null for the default image
 * @param plan            what the VM is built from; null only before planning and on substrates that keep no files
 *                        (the test fake)
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
        String osImage,
        InstancePlan plan) {
    public InstanceSpec {
        localStorage = List.copyOf(localStorage);
    }

    public InstanceSpec withPlan(InstancePlan newPlan) {
        return new InstanceSpec(ref, roleKind, index, updateDomain, faultDomain, overlayGeneration, recycleGeneration,
                localStorage, osImage, newPlan);
    }
}
