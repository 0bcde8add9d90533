package org.csemu.fabric.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the host checks look: a filesystem root (so tests can point them at a fake {@code /proc}, {@code /dev},
 * {@code /run}), the command runner, the libvirt URI and csemu's own directories. Paths given as absolute host
 * paths ({@code /var/lib/csemu}) are resolved under {@link #root()}.
 */
public record HostContext(Path root, CommandRunner runner, String libvirtUri, Path dataDir, Path imageCache,
        List<String> searchPath) {

    public static final String DEFAULT_URI = "qemu:///system";
    public static final Path DEFAULT_DATA_DIR = Path.of("/var/lib/csemu");
    /** The user libvirt runs QEMU as on Debian; it must reach every image and instance disk. */
    public static final String QEMU_USER = "libvirt-qemu";

    public HostContext {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(runner, "runner");
        Objects.requireNonNull(libvirtUri, "libvirtUri");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(imageCache, "imageCache");
        searchPath = List.copyOf(searchPath);
    }

    /**
     * This machine, with csemu's defaults overridable by the same variables the setup script reads
     * ({@code CSEMU_STATE_DIR}, {@code CSEMU_IMAGE_CACHE}).
     */
    public static HostContext system(Map<String, String> env) {
        Path dataDir = Optional.ofNullable(env.get("CSEMU_STATE_DIR")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(DEFAULT_DATA_DIR);
        Path imageCache = Optional.ofNullable(env.get("CSEMU_IMAGE_CACHE")).filter(s -> !s.isBlank()).map(Path::of)
                .orElse(dataDir.resolve("image-cache"));
        return new HostContext(Path.of("/"), new ProcessCommandRunner(), DEFAULT_URI, dataDir, imageCache,
                List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    }

    public HostContext withLibvirtUri(String uri) {
        return new HostContext(root, runner, uri, dataDir, imageCache, searchPath);
    }

    public HostContext withImageCache(Path cache) {
        return new HostContext(root, runner, libvirtUri, dataDir, cache, searchPath);
    }

    public HostContext withDataDir(Path dir) {
        return new HostContext(root, runner, libvirtUri, dir, imageCache, searchPath);
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
