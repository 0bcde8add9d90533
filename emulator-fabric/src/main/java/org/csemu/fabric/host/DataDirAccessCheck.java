package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * QEMU runs as {@code libvirt-qemu}: it must traverse every directory down to the images and instance disks.
 * A data directory under {@code /root} (mode 0700) fails here and at every domain start.
 */
public final class DataDirAccessCheck implements HostCheck {

    @Override
    public String id() {
        return "data-dir";
    }

    @Override
    public CheckResult run(HostContext context) {
        if (context.userScope()) {
            return forUser(context);
        }
        String title = "data dir traversable by " + HostContext.QEMU_USER;
        List<String> problems = new ArrayList<>();
        for (Path dir : List.of(context.dataDir(), context.imageCache())) {
            Path absolute = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(context.path(absolute))) {
                problems.add(absolute + " does not exist");
                continue;
            }
            Path walked = absolute.getRoot();
            for (Path part : absolute) {
                walked = walked.resolve(part);
                try {
                    if (!Files.getPosixFilePermissions(context.path(walked)).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                        problems.add(walked + " is not traversable by others (o+x)");
                        break;
                    }
                } catch (IOException e) {
                    problems.add(walked + ": " + e.getMessage());
                    break;
                }
            }
        }
        if (problems.isEmpty()) {
            return CheckResult.ok(id(), title, context.dataDir() + ", " + context.imageCache());
        }
        return CheckResult.fail(id(), title, String.join("; ", problems.stream().distinct().toList()),
                "./csemu setup creates " + HostContext.DEFAULT_DATA_DIR + " (0755); keep CSEMU_DATA_DIR/CSEMU_IMAGE_CACHE "
                        + "under a path every user may traverse (never /root)");
    }

    /**
     * A user's daemon: QEMU runs as the user, so the user must own (or be able to create) the data directory, read
     * the shared image cache (every directory down to it traversable, the files readable), and the API token must
     * be the user's alone. Each problem comes with the command that fixes it.
     */
    private CheckResult forUser(HostContext context) {
        String user = context.scope().user();
        String title = "data dir and image cache usable by " + user;
        List<String> problems = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        Path data = context.path(context.dataDir().toAbsolutePath().normalize());
        if (Files.isDirectory(data)) {
            if (!Files.isWritable(data)) {
                problems.add(context.dataDir() + " is not writable by " + user);
                fixes.add("sudo chown -R " + user + " " + context.dataDir() + "   (or choose another with"
                        + " CSEMU_DATA_DIR / --data-dir)");
            }
            Path token = data.resolve("api.token");
            try {
                if (Files.exists(token) && !Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)
                        .containsAll(Files.getPosixFilePermissions(token))) {
                    problems.add(token + " is readable by others");
                    fixes.add("chmod 0600 " + token + "   (and rotate it: delete it, restart the daemon)");
                }
            } catch (IOException e) {
                problems.add(token + ": " + e.getMessage());
                fixes.add("sudo chown " + user + " " + token);
            }
        } else {
            Path parent = data.getParent();
            while (parent != null && !Files.isDirectory(parent)) {
                parent = parent.getParent();
            }
            if (parent == null || !Files.isWritable(parent)) {
                problems.add(context.dataDir() + " does not exist and " + user + " cannot create it");
                fixes.add("mkdir -p " + context.dataDir() + " as its owner, or choose another with CSEMU_DATA_DIR");
            }
        }
        Path cache = context.imageCache().toAbsolutePath().normalize();
        Path walked = cache.getRoot();
        for (Path part : cache) {
            walked = walked.resolve(part);
            if (!Files.isDirectory(context.path(walked))) {
                problems.add(walked + " does not exist");
                fixes.add("sudo ./csemu setup   (builds the shared guest image)");
                break;
            }
            if (!Files.isExecutable(context.path(walked)) || !Files.isReadable(context.path(walked))) {
                problems.add(walked + " is not readable and traversable by " + user);
                fixes.add("sudo chmod a+rx " + walked);
                break;
            }
        }
        Path latest = context.path(cache).resolve(GuestImageManifest.LATEST_LINK);
        if (problems.isEmpty() && Files.isDirectory(latest)) {
            try (var files = Files.list(latest)) {
                files.filter(f -> !Files.isReadable(f)).findFirst().ifPresent(f -> {
                    problems.add(f + " is not readable by " + user);
                    fixes.add("sudo chmod a+r " + latest + "/*");
                });
            } catch (IOException e) {
                problems.add(latest + ": " + e.getMessage());
                fixes.add("sudo chmod a+rx " + latest);
            }
        }
        if (problems.isEmpty()) {
            return CheckResult.ok(id(), title, context.dataDir() + " (" + user + "'s), " + context.imageCache()
                    + " (shared, read-only)");
        }
        return CheckResult.fail(id(), title, String.join("; ", problems), String.join("; ", fixes));
    }
}
