package org.csemu.fabric.disk;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where one instance's files live: {@code <data>/deployments/<dep>/instances/<instance>/}. One place decides the
 * layout so that the driver, the disks and recovery after a daemon restart agree on it.
 */
public record InstancePaths(Path dataDir, String deploymentId, String instanceId) {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    public InstancePaths {
        dataDir = dataDir.toAbsolutePath().normalize();
        requireSafe("deployment id", deploymentId);
        requireSafe("instance id", instanceId);
    }

    static void requireSafe(String what, String value) {
        if (value == null || !SAFE.matcher(value).matches() || value.contains("..")) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' is not usable as a file name: use letters, digits, '_', '-', '.' (max 128)");
        }
    }

    public Path deploymentDir() {
        return dataDir.resolve("deployments").resolve(deploymentId);
    }

    public Path dir() {
        return deploymentDir().resolve("instances").resolve(instanceId);
    }

    /** The qcow2 overlay on the read-only base image (the OS disk, vda). */
    public Path osDisk() {
        return dir().resolve("os.qcow2");
    }

    /** The ext4 local-storage disk (vdc, serial csemu-local). */
    public Path localDisk() {
        return dir().resolve("local.img");
    }

    /** The raw tar config drive (vdb, serial csemu-config). */
    public Path configDrive() {
        return dir().resolve("config.tar");
    }

    /** The guest's serial console. */
    public Path consoleLog() {
        return dir().resolve("console.log");
    }
}
