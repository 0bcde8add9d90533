package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Whose daemon this is, decided by who runs it: root's <em>system</em> daemon drives {@code qemu:///system} and keeps
 * its data in {@code /var/lib/csemu}; any other user's <em>user</em> daemon drives libvirt's per-user session daemon
 * ({@code qemu:///session}, QEMU runs as that user) and keeps its data in {@code $XDG_DATA_HOME/csemu} (default
 * {@code ~/.local/share/csemu}). Both boot from the same read-only base image that {@code sudo ./csemu setup} built
 * in the shared image cache; nothing of one user's daemon is visible to another's.
 *
 * @param kind       system (root) or user
 * @param user       the user name, for messages
 * @param uid        the effective uid
 * @param dataDir    the default data directory ({@code $CSEMU_DATA_DIR} overrides it)
 * @param libvirtUri the libvirt connection the fabric uses
 * @param home       the user's home directory
 * @param runtimeDir {@code $XDG_RUNTIME_DIR} when set (libvirt's session socket lives there), else null
 */
public record DaemonScope(Kind kind, String user, long uid, Path dataDir, String libvirtUri, Path home,
        Path runtimeDir) {

    /** The two kinds of daemon. */
    public enum Kind {
        SYSTEM, USER;

        /** {@code system} / {@code user}, as the CLI and API show it. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final String SYSTEM_URI = "qemu:///system";
    public static final String SESSION_URI = "qemu:///session";
    public static final Path SYSTEM_DATA_DIR = Path.of("/var/lib/csemu");
    /** Where {@code ./csemu setup} builds the guest base image; every user's daemon reads it, none writes it. */
    public static final Path SHARED_IMAGE_CACHE = SYSTEM_DATA_DIR.resolve("image-cache");

    public DaemonScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(libvirtUri, "libvirtUri");
    }

    /** The scope of this process: its effective uid (the owner of {@code /proc/self}) and environment. */
    public static DaemonScope current() {
        return of(effectiveUid(), System.getProperty("user.name", "?"), System.getenv());
    }

    /** The scope of uid {@code uid} with environment {@code env} (HOME, XDG_DATA_HOME, XDG_RUNTIME_DIR). */
    public static DaemonScope of(long uid, String user, Map<String, String> env) {
        if (uid == 0) {
            return new DaemonScope(Kind.SYSTEM, user, uid, SYSTEM_DATA_DIR, SYSTEM_URI, Path.of("/root"), null);
        }
        Path home = Path.of(Optional.ofNullable(env.get("HOME")).filter(s -> !s.isBlank())
                .orElse(System.getProperty("user.home")));
        Path dataHome = absolute(env.get("XDG_DATA_HOME")).orElse(home.resolve(".local/share"));
        return new DaemonScope(Kind.USER, user, uid, dataHome.resolve("csemu"), SESSION_URI, home,
                absolute(env.get("XDG_RUNTIME_DIR")).orElse(null));
    }

    public boolean system() {
        return kind == Kind.SYSTEM;
    }

    /** The effective uid of this process, or -1 when {@code /proc} cannot tell. */
    public static long effectiveUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    /** XDG base directories must be absolute; a relative value is ignored (XDG Base Directory spec). */
    private static Optional<Path> absolute(String value) {
        return Optional.ofNullable(value).filter(s -> !s.isBlank()).map(Path::of).filter(Path::isAbsolute);
    }
}
