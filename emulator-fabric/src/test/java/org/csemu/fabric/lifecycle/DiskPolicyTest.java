package org.csemu.fabric.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.lifecycle.DiskPolicy.BootReason;
import org.csemu.fabric.spi.DiskPlan;
import org.csemu.fabric.spi.DiskPlan.ConfigDriveAction;
import org.csemu.fabric.spi.DiskPlan.LocalStorageAction;
import org.csemu.fabric.spi.DiskPlan.OverlayAction;
import org.csemu.fabric.spi.LocalResource;
import org.junit.jupiter.api.Test;

/** The disk columns of ARCHITECTURE.md's lifecycle table. */
class DiskPolicyTest {
    private static final List<LocalResource> STORAGE = List.of(new LocalResource("cache", 10, true),
            new LocalResource("logs", 10, false));

    @Test
    void theLifecycleTable() {
        assertThat(plan(BootReason.RECYCLE, RoleKind.WEB_ROLE)).isEqualTo(new DiskPlan(OverlayAction.KEEP,
                LocalStorageAction.KEEP, List.of("cache"), ConfigDriveAction.KEEP));
        assertThat(plan(BootReason.REIMAGE, RoleKind.WORKER_ROLE)).isEqualTo(new DiskPlan(OverlayAction.NEW,
                LocalStorageAction.KEEP, List.of("cache"), ConfigDriveAction.REBUILD));
        assertThat(plan(BootReason.REIMAGE, RoleKind.VIRTUAL_MACHINE_ROLE)).isEqualTo(new DiskPlan(OverlayAction.NEW,
                LocalStorageAction.KEEP, List.of(), ConfigDriveAction.REBUILD));
        assertThat(plan(BootReason.REBUILD, RoleKind.WEB_ROLE)).isEqualTo(new DiskPlan(OverlayAction.NEW,
                LocalStorageAction.NEW, List.of(), ConfigDriveAction.REBUILD));
        assertThat(plan(BootReason.NEW_HARDWARE, RoleKind.VIRTUAL_MACHINE_ROLE)).isEqualTo(new DiskPlan(
                OverlayAction.NEW, LocalStorageAction.NEW, List.of(), ConfigDriveAction.REBUILD));
        assertThat(plan(BootReason.RESTART, RoleKind.WEB_ROLE)).isEqualTo(new DiskPlan(OverlayAction.KEEP,
                LocalStorageAction.KEEP, List.of(), ConfigDriveAction.KEEP));
        assertThat(plan(BootReason.CREATE, RoleKind.WEB_ROLE)).isEqualTo(new DiskPlan(OverlayAction.NEW,
                LocalStorageAction.NEW, List.of(), ConfigDriveAction.REBUILD));
    }

    @Test
    void triggersMapToTheirBoot() {
        assertThat(BootReason.after(Trigger.CRASHED)).isEqualTo(BootReason.RESTART);
        assertThat(BootReason.after(Trigger.START_FAILED)).isEqualTo(BootReason.NEW_HARDWARE);
        assertThat(BootReason.after(Trigger.FAULT_HOST_FAILURE)).isEqualTo(BootReason.NEW_HARDWARE);
        assertThat(BootReason.after(Trigger.GRACE_EXPIRED)).isEqualTo(BootReason.RECYCLE);
        assertThat(BootReason.after(Trigger.BACKOFF_EXPIRED)).isEqualTo(BootReason.RECYCLE);
    }

    private static DiskPlan plan(BootReason reason, RoleKind kind) {
        return DiskPolicy.plan(reason, kind, STORAGE);
    }
}
