package org.csemu.fabric.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.daemon.DataDirectory;

/**
 * Where the host checks look: a filesystem root (so tests can point them at a fake {@code /proc}, {@code /dev},
 * {@code /run}), the command runner, the libvirt URI and csemu's own directories. Paths given as absolute host
 * paths ({@code /var/lib/csemu}) are resolved under {@link #root()}.
 */
public record HostContext(Path root, CommandRunner runner, String libvirtUri, Path dataDir, Path imageCache,
        List<String> searchPath, DaemonScope scope) {

    public static final String DEFAULT_URI = DaemonScope.SYSTEM_URI;
    public static final Path DEFAULT_DATA_DIR = DaemonScope.SYSTEM_DATA_DIR;
    /** The user libvirt runs QEMU as on Debian; it must reach every image and instance disk. */
    public static final String QEMU_USER = "libvirt-qemu";

    public HostContext {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(libvirtUri, "libvirtUri");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(imageCache, "imageCache");
        searchPath = List.copyOf(searchPath);
        Objects.requireNonNull(scope, "scope");
    }

    /** A context of root's system daemon. */
    public HostContext(Path root, CommandRunner runner, String libvirtUri, Path dataDir, Path imageCache,
            List<String> searchPath) {
        this(root, runner, libvirtUri, dataDir, imageCache, searchPath,
                DaemonScope.of(0, "root", Map.of()));
    }

    /**
     * This machine as the calling user sees it: the scope's libvirt URI and data directory (root's system daemon
     * or the user's own), overridable by the variables the daemon and the setup script read ({@code CSEMU_DATA_DIR},
     * {@code CSEMU_IMAGE_CACHE}); the image cache is the shared one {@code ./csemu setup} builds.
     */
    public static HostContext system(Map<String, String> env) {
        DaemonScope scope = DaemonScope.current();
        Path dataDir = DataDirectory.resolve(null, env).root();
        Path imageCache = Optional.ofNullable(env.get("CSEMU_IMAGE_CACHE")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(DaemonScope.SHARED_IMAGE_CACHE);
        return new HostContext(Path.of("/"), new ProcessCommandRunner(), scope.libvirtUri(), dataDir, imageCache,
                List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"), scope);
    }

    public HostContext withLibvirtUri(String uri) {
        return new HostContext(root, runner, uri, dataDir, imageCache, searchPath, scope);
    }

    public HostContext withImageCache(Path cache) {
        return new HostContext(root, runner, libvirtUri, dataDir, cache, searchPath, scope);
    }

    public HostContext withDataDir(Path dir) {
        return new HostContext(root, runner, libvirtUri, dir, imageCache, searchPath, scope);
    }

    public HostContext withScope(DaemonScope newScope) {
        return new HostContext(root, runner, newScope.libvirtUri(), dataDir, imageCache, searchPath, newScope);
    }

    /** Whether the checks are for a user's daemon on libvirt's session daemon (not root's system daemon). */
    public boolean userScope() {
        return !scope.system();
    }

    /** A host path (absolute, like {@code /proc/cpuinfo}) under this context's root. */
    public Path path(String hostPath) {
        return path(Path.of(hostPath));
    }

    /** A host path under this context's root. */
    public Path path(Path hostPath) {
        Path relative = hostPath.isAbsolute() ? hostPath.getRoot().relativize(hostPath) : hostPath;
        return root.resolve(relative.toString());
    }

    /** The host path of an executable found on the search path, if any. */
    public Optional<Path> findExecutable(String name) {
        for (String dir : searchPath) {
            Path candidate = path(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(Path.of(dir, name));
            }
        }
        return Optional.empty();
    }
}
