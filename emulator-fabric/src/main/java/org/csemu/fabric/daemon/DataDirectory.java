package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The layout of a daemon's data directory, shared by the daemon and its clients: the token, the lock, the file
 * that tells clients where the API is, the logs, the upload area.
 */
public record DataDirectory(Path root) {

    public static final String ENV = "CSEMU_DATA_DIR";
    public static final Path DEFAULT = Path.of("/var/lib/csemu");

    public DataDirectory {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * The option if given, else {@code $CSEMU_DATA_DIR}, else the scope's default: {@code /var/lib/csemu} for root,
     * {@code $XDG_DATA_HOME/csemu} (default {@code ~/.local/share/csemu}) for any other user.
     */
    public static DataDirectory resolve(Path option, Map<String, String> env) {
        return resolve(option, env, DaemonScope.current().dataDir());
    }

    static DataDirectory resolve(Path option, Map<String, String> env, Path scopeDefault) {
        if (option != null) {
            return new DataDirectory(option);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataDirectory(Path.of(fromEnv));
        }
        return new DataDirectory(scopeDefault);
    }

    public static DataDirectory resolve(Path option) {
        return resolve(option, System.getenv());
    }

    /**
     * Creates the directory and the subdirectories the daemon writes. A new directory gets mode 0711 for root (the
     * system libvirt runs QEMU as {@code libvirt-qemu}, which must traverse it to reach the instance disks; nobody
     * can list it, and the token inside is 0600) and 0700 for any other user (the session libvirt runs QEMU as that
     * user: nobody else needs in). Missing parents get the usual mode.
     */
    public void create() throws IOException {
        if (!Files.isDirectory(root)) {
            if (root.getParent() != null) {
                Files.createDirectories(root.getParent());
            }
            String mode = DaemonScope.effectiveUid() == 0 ? "rwx--x--x" : "rwx------";
            try {
                Files.createDirectory(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // created concurrently (two commands starting a daemon): keep it
            }
        }
        Files.createDirectories(logs());
        Files.createDirectories(uploads());
    }

    public Path tokenFile() {
        return root.resolve("api.token");
    }

    public Path infoFile() {
        return root.resolve("daemon.json");
    }

    public Path lockFile() {
        return root.resolve("daemon.lock");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path logFile() {
        return logs().resolve("daemon.log");
    }

    public Path uploads() {
        return root.resolve("uploads");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
