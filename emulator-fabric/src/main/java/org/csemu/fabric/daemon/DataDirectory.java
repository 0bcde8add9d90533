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

    /** The option if given, else {@code $CSEMU_DATA_DIR}, else {@code /var/lib/csemu}. */
    public static DataDirectory resolve(Path option, Map<String, String> env) {
        if (option != null) {
            return new DataDirectory(option);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataDirectory(Path.of(fromEnv));
        }
        return new DataDirectory(DEFAULT);
    }

    public static DataDirectory resolve(Path option) {
        return resolve(option, System.getenv());
    }

    /** Creates the directory (mode 0700 when it is new) and the subdirectories the daemon writes. */
    public void create() throws IOException {
        if (!Files.isDirectory(root)) {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
