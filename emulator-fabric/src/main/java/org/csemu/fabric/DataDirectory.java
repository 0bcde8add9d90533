package org.csemu.fabric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.csemu.fabric.daemon.DaemonScope;

/** A fabric's data directory made ready for the QEMU processes that will open the disks under it. */
final class DataDirectory {

    private DataDirectory() {
    }

    /**
     * Creates {@code dataDir}; under the system libvirt ({@code libvirtUri}) also checks that QEMU can reach it: the
     * system daemon's QEMU runs as {@code libvirt-qemu} and opens the disks under the data directory, so every
     * directory on the way must be searchable by others, else every boot fails much later with a permission error
     * deep in libvirt. A session daemon's QEMU runs as the data directory's own user.
     */
    static Path prepare(Path dataDir, String libvirtUri) throws IOException {
        Path dir = Files.createDirectories(dataDir);
        if (libvirtUri.startsWith(DaemonScope.SYSTEM_URI)) {
            requireTraversable(dir);
        }
        return dir;
    }

    private static void requireTraversable(Path dataDir) throws IOException {
        for (Path p = dataDir.toRealPath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("the data directory " + dataDir + " is not reachable by the libvirt-qemu user: "
                        + p + " is not searchable by others (chmod o+x " + p + ", or use a data directory under"
                        + " /var/lib/csemu)");
            }
        }
    }
}
