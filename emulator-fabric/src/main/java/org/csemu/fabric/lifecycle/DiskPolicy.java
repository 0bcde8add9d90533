package org.csemu.fabric.lifecycle;

import java.util.List;
import org.csemu.fabric.spi.LocalResource;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.spi.DiskPlan;
import org.csemu.fabric.spi.DiskPlan.ConfigDriveAction;
import org.csemu.fabric.spi.DiskPlan.LocalStorageAction;
import org.csemu.fabric.spi.DiskPlan.OverlayAction;

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
        NEW_HARDWARE;

        /** The boot that follows a trigger that leads to a (re)boot; recovery uses it to redo an interrupted one. */
        public static BootReason after(Trigger trigger) {
            return switch (trigger) {
                case CREATE -> CREATE;
                case REIMAGE -> REIMAGE;
                case REBUILD -> REBUILD;
                case FAULT_HOST_FAILURE, START_FAILED, DOMAIN_LOST -> NEW_HARDWARE;
                case REBOOT, RECYCLE_REQUESTED, GRACE_EXPIRED, BACKOFF_EXPIRED -> RECYCLE;
                case CRASHED, START, RESUME -> RESTART;
                default -> throw new IllegalArgumentException(trigger + " does not boot an instance");
            };
        }
    }

    private DiskPolicy() {
    }

    public static DiskPlan plan(BootReason reason, RoleKind kind, List<LocalResource> localStorage) {
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
    static List<String> wipedOnRecycle(RoleKind kind, List<LocalResource> localStorage) {
        if (kind == RoleKind.VIRTUAL_MACHINE_ROLE) {
            return List.of();
        }
        return localStorage.stream().filter(LocalResource::cleanOnRoleRecycle).map(LocalResource::name).toList();
    }
}
