package org.csemu.fabric.spi;

import java.util.List;

/**
 * What {@link InstanceRuntime#boot} must do with each disk of an instance before (re)starting it: the disk columns
 * of the lifecycle table, computed by {@code org.csemu.fabric.lifecycle.DiskPolicy} so the substrate never has to
 * know which operation asked.
 *
 * @param overlay         keep the qcow2 overlay, or discard it and create a new one on the read-only base
 * @param localStorage    keep the local-storage disk, or discard it and create an empty one ("new hardware")
 * @param wipedResources  with {@link LocalStorageAction#KEEP}: the local resources whose contents are wiped
 *                        ({@code cleanOnRoleRecycle="true"}); empty otherwise
 * @param configDrive     keep the config drive, or write it again from the current configuration
 */
public record DiskPlan(OverlayAction overlay, LocalStorageAction localStorage, List<String> wipedResources,
                       ConfigDriveAction configDrive) {
    public DiskPlan {
        wipedResources = List.copyOf(wipedResources);
        if (localStorage == LocalStorageAction.NEW && !wipedResources.isEmpty()) {
            throw new IllegalArgumentException("a new local-storage disk has nothing to wipe");
        }
    }

    /** Keep the OS disk. */
    public enum OverlayAction { KEEP, NEW }

    /** Keep the local-storage disk or start from an empty one. */
    public enum LocalStorageAction { KEEP, NEW }

    /** Keep the config drive or rebuild it. */
    public enum ConfigDriveAction { KEEP, REBUILD }
}
