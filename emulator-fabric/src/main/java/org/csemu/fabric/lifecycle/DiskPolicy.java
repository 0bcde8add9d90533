package org.csemu.fabric.lifecycle;

import java.util.List;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.port.DiskPlan;
import org.csemu.fabric.port.DiskPlan.ConfigDriveAction;
import org.csemu.fabric.port.DiskPlan.LocalStorageAction;
import org.csemu.fabric.port.DiskPlan.OverlayAction;

/**
 * The disk columns of the lifecycle table (ARCHITECTURE.md): what each kind of (re)boot does with the overlay, the
 * local storage and the config drive. One place, so the substrate never guesses.
 */
public final class DiskPolicy {

    /** Why an instance is being booted. */
    public enum BootReason {
        /** A new instance (deployment create, scale out). */
        CREATE,
        /** Reboot or role recycle (requested, unresponsive, cycling). */
        RECYCLE,
        /** Restart after a crash or after a stop: nothing changes. */
        RESTART,
        REIMAGE,
        REBUILD,
        /** Host failure, or a domain that could not be restarted: "new hardware". */
        NEW_HARDWARE
    }

    private DiskPolicy() {
    }

    public static DiskPlan plan(BootReason reason, RoleKind kind, List<LocalStorage> localStorage) {
        return switch (reason) {
            case CREATE, REBUILD, NEW_HARDWARE -> new DiskPlan(OverlayAction.NEW, LocalStorageAction.NEW, List.of(),
                    ConfigDriveAction.REBUILD);
            case RESTART -> new DiskPlan(OverlayAction.KEEP, LocalStorageAction.KEEP, List.of(), ConfigDriveAction.KEEP);
            case RECYCLE -> new DiskPlan(OverlayAction.KEEP, LocalStorageAction.KEEP, wipedOnRecycle(kind, localStorage),
                    ConfigDriveAction.KEEP);
            case REIMAGE -> new DiskPlan(OverlayAction.NEW, LocalStorageAction.KEEP, wipedOnRecycle(kind, localStorage),
                    ConfigDriveAction.REBUILD);
        };
    }

    /** Resources with {@code cleanOnRoleRecycle="true"}; a VirtualMachineRole's local storage always survives. */
    static List<String> wipedOnRecycle(RoleKind kind, List<LocalStorage> localStorage) {
        if (kind == RoleKind.VIRTUAL_MACHINE_ROLE) {
            return List.of();
        }
        return localStorage.stream().filter(LocalStorage::cleanOnRoleRecycle).map(LocalStorage::name).toList();
    }
}
