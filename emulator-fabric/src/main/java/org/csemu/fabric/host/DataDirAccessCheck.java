package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;

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
                "./csemu setup creates " + HostContext.DEFAULT_DATA_DIR + " (0755); keep CSEMU_STATE_DIR/CSEMU_IMAGE_CACHE "
                        + "under a path every user may traverse (never /root)");
    }
}
