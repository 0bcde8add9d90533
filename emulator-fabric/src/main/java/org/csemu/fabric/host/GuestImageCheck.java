package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The guest base image is in the cache ({@code csemu-base-latest}), intact (sha256 per image.json) and read-only. */
public final class GuestImageCheck implements HostCheck {

    private static final String FIX = "./csemu setup   (rebuilds the image: samples/images/build-base-image.sh --force)";
    private static final Set<PosixFilePermission> WRITE = EnumSet.of(PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    @Override
    public String id() {
        return "guest-image";
    }

    @Override
    public CheckResult run(HostContext context) {
        Path latest = context.path(context.imageCache()).resolve(GuestImageManifest.LATEST_LINK);
        String title = "guest base image";
        if (!Files.isRegularFile(latest.resolve(GuestImageManifest.FILE_NAME))) {
            return CheckResult.fail(id(), title, "no built image at " + context.imageCache().resolve(GuestImageManifest.LATEST_LINK), FIX);
        }
        GuestImageManifest manifest;
        try {
            manifest = GuestImageManifest.read(latest);
        } catch (IOException | RuntimeException e) {
            return CheckResult.fail(id(), title, "unreadable " + GuestImageManifest.FILE_NAME + ": " + e.getMessage(), FIX);
        }
        List<String> problems = manifest.verify();
        if (!problems.isEmpty()) {
            return CheckResult.fail(id(), title, String.join("; ", problems), FIX);
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(manifest.diskPath());
            if (permissions.stream().anyMatch(WRITE::contains)) {
                return CheckResult.fail(id(), title, manifest.disk() + " is writable: the base image must be read-only (0444)",
                        "chmod 0444 " + manifest.diskPath());
            }
        } catch (IOException e) {
            return CheckResult.fail(id(), title, e.getMessage(), FIX);
        }
        return CheckResult.ok(id(), title, manifest.directory() + ": " + manifest.name() + " " + manifest.hash() + ", " + manifest.files().size()
                + " files match their sha256, " + manifest.disk() + " read-only");
    }
}
