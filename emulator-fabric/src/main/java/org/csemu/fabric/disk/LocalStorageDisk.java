package org.csemu.fabric.disk;

import org.csemu.fabric.util.ProcessRunner;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The instance's local-storage disk: one sparse ext4 file per instance holding every LocalStorage resource of the
 * role. It lives outside the overlay so that reboot and reimage keep it, while rebuild and "new hardware" discard
 * it (see the lifecycle table in ARCHITECTURE.md). Made by {@code mkfs.ext4} on a sparse file: no loop mount.
 */
public final class LocalStorageDisk {

    /** Below this ext4 with a journal gets awkward; the agent also keeps its recycle marker here. */
    public static final long MIN_SIZE_MIB = 32;
    /** ext4 metadata and journal overhead, plus room for the agent's marker file. */
    public static final long HEADROOM_MIB = 16;

    private LocalStorageDisk() {
    }

    /** The disk size for the role's declared resources: their sum plus 10 % and a fixed headroom. */
    public static long sizeMiB(Collection<Integer> resourceSizesMiB) {
        long sum = 0;
        for (int size : resourceSizesMiB) {
            if (size <= 0) {
                throw new IllegalArgumentException("local storage size must be positive, got " + size + " MB");
            }
            sum += size;
        }
        return Math.max(MIN_SIZE_MIB, sum + sum / 10 + HEADROOM_MIB);
    }

    /** Creates (or replaces) the disk as a sparse file formatted ext4, labelled {@code csemu-local}. */
    public static void create(Path disk, long sizeMiB) throws IOException, InterruptedException {
        Files.createDirectories(disk.getParent());
        Path temp = disk.resolveSibling("." + disk.getFileName() + ".new");
        Files.deleteIfExists(temp);
        try {
            try (RandomAccessFile file = new RandomAccessFile(temp.toFile(), "rw")) {
                file.setLength(sizeMiB * 1024 * 1024);
            }
            ProcessRunner.run(Duration.ofSeconds(60), List.of("mkfs.ext4", "-F", "-q", "-L", "csemu-local",
                    "-m", "0", "-E", "root_owner=0:0", temp.toString())).orThrow();
            Files.move(temp, disk, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Creates the disk only when it does not exist yet (reboot and reimage reuse it). */
    public static boolean ensure(Path disk, long sizeMiB) throws IOException, InterruptedException {
        if (Files.isRegularFile(disk)) {
            return false;
        }
        create(disk, sizeMiB);
        return true;
    }
}
