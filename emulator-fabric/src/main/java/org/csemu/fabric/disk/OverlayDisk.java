package org.csemu.fabric.disk;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The instance's OS disk: a qcow2 overlay on the read-only base. Creating one is O(1) in the base's size (only a
 * header pointing at the base is written), which is what makes per-instance disks and reimage cheap.
 */
public final class OverlayDisk {

    private OverlayDisk() {
    }

    /**
     * Creates a fresh overlay at {@code overlay}, replacing any previous one (a reimage discards the old overlay).
     * The overlay is written next to its final name and renamed into place, so a crash never leaves a half file.
     */
    public static void create(Path base, String baseFormat, Path overlay) throws IOException, InterruptedException {
        if (!Files.isRegularFile(base)) {
            throw new IOException("base image " + base + " does not exist");
        }
        Files.createDirectories(overlay.getParent());
        Path temp = overlay.resolveSibling("." + overlay.getFileName() + ".new");
        Files.deleteIfExists(temp);
        try {
            QemuImg.createOverlay(base, baseFormat, temp);
            Files.move(temp, overlay, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
