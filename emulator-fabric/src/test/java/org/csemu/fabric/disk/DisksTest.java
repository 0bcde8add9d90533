package org.csemu.fabric.disk;

import org.csemu.fabric.util.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DisksTest {

    @TempDir
    Path tmp;

    @Test
    void overlayPointsAtTheBaseAndNeverCopiesIt() throws Exception {
        Path base = tmp.resolve("base.qcow2");
        ProcessRunner.run(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "2G").orThrow();
        Path overlay = tmp.resolve("inst/os.qcow2");
        OverlayDisk.create(base, "qcow2", overlay);
        QemuImg.Info info = QemuImg.info(overlay);
        assertThat(info.format()).isEqualTo("qcow2");
        assertThat(info.backingFile()).isEqualTo(base.toAbsolutePath().toString());
        assertThat(info.virtualSize()).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(Files.size(overlay)).isLessThan(1024 * 1024);
        assertThat(Files.list(overlay.getParent()).toList()).containsExactly(overlay);

        // recreating replaces it (the reimage primitive)
        Files.writeString(tmp.resolve("witness"), "x");
        OverlayDisk.create(base, "qcow2", overlay);
        assertThat(QemuImg.info(overlay).backingFile()).isEqualTo(base.toAbsolutePath().toString());
        assertThatThrownBy(() -> OverlayDisk.create(tmp.resolve("missing.qcow2"), "qcow2", overlay))
                .hasMessageContaining("does not exist");
    }

    @Test
    void localStorageDiskIsASparseExt4FileSizedFromTheResources() throws Exception {
        assertThat(LocalStorageDisk.sizeMiB(List.of())).isEqualTo(LocalStorageDisk.MIN_SIZE_MIB);
        assertThat(LocalStorageDisk.sizeMiB(List.of(100, 200))).isEqualTo(300 + 30 + LocalStorageDisk.HEADROOM_MIB);
        assertThatThrownBy(() -> LocalStorageDisk.sizeMiB(List.of(0))).hasMessageContaining("positive");

        Path disk = tmp.resolve("local.img");
        assertThat(LocalStorageDisk.ensure(disk, 64)).isTrue();
        assertThat(Files.size(disk)).isEqualTo(64L * 1024 * 1024);
        ProcessRunner.Result stats = ProcessRunner.run(Duration.ofSeconds(20), "debugfs", "-R", "stats", disk.toString()).orThrow();
        assertThat(stats.stdout()).contains("Filesystem volume name:   csemu-local");
        // a second ensure keeps the disk (reboot and reimage keep local storage)
        ProcessRunner.run(Duration.ofSeconds(20), "debugfs", "-w", "-R", "mkdir keepme", disk.toString()).orThrow();
        assertThat(LocalStorageDisk.ensure(disk, 64)).isFalse();
        assertThat(ProcessRunner.run(Duration.ofSeconds(20), "debugfs", "-R", "ls -l /", disk.toString()).stdout()).contains("keepme");
        // create discards it (rebuild)
        LocalStorageDisk.create(disk, 64);
        assertThat(ProcessRunner.run(Duration.ofSeconds(20), "debugfs", "-R", "ls -l /", disk.toString()).stdout()).doesNotContain("keepme");
    }

    @Test
    void instancePathsFollowTheDocumentedLayoutAndRefuseUnsafeIds() {
        InstancePaths paths = new InstancePaths(Path.of("/var/lib/csemu"), "d1", "WebRole_IN_0");
        assertThat(paths.osDisk()).isEqualTo(Path.of("/var/lib/csemu/deployments/d1/instances/WebRole_IN_0/os.qcow2"));
        assertThat(paths.localDisk().getFileName().toString()).isEqualTo("local.img");
        assertThat(paths.configDrive().getFileName().toString()).isEqualTo("config.tar");
        assertThat(paths.consoleLog().getFileName().toString()).isEqualTo("console.log");
        assertThatThrownBy(() -> new InstancePaths(Path.of("/x"), "../etc", "i")).hasMessageContaining("deployment id");
        assertThatThrownBy(() -> new InstancePaths(Path.of("/x"), "d", "a/b")).hasMessageContaining("instance id");
    }
}
