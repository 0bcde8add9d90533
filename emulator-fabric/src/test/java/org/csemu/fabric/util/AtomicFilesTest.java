package org.csemu.fabric.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheContentAndLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(f)).isEqualTo("two");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void aFailedWriteKeepsTheOldContentAndCleansUp() throws IOException {
        Path f = dir.resolve("state.json");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        // a directory in the target's place makes the rename fail after the temp file was written
        Path blocked = dir.resolve("blocked");
        Files.createDirectories(blocked.resolve("child"));
        assertThatThrownBy(() -> AtomicFiles.write(blocked, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThat(Files.readString(f)).isEqualTo("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(f, blocked);
        }
    }

    @Test
    void theFileGetsThePermissionsAskedForAndOwnerOnlyByDefault() throws IOException {
        Path secret = dir.resolve("token");
        Path shared = dir.resolve("daemon.json");
        AtomicFiles.write(secret, "t".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(shared, "{}".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rw-r--r--");
    }

    @Test
    void aMoveIntoPlaceAcrossFileSystemsFailsInsteadOfCopying() throws IOException {
        Path source = Files.createTempFile(Path.of("/dev/shm"), "csemu-atomic-", ".tmp");
        try {
            Path target = dir.resolve("moved");
            assertThatThrownBy(() -> AtomicFiles.moveIntoPlace(source, target))
                    .isInstanceOf(IOException.class).hasMessageContaining("atomically");
            assertThat(target).doesNotExist();
        } finally {
            Files.deleteIfExists(source);
        }
    }
}
