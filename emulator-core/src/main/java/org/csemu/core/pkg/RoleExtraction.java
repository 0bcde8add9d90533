package org.csemu.core.pkg;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.csemu.core.util.FileTrees;

/**
 * Writes a role of a verified package to disk ({@link PackageReader#extractRole}): into a fresh temporary directory
 * beside the target, every file checked again as it streams out of the zip, then moved into place in one step, so a
 * refused or failed extraction leaves nothing behind.
 */
final class RoleExtraction {

    private RoleExtraction() {
    }

    /** {@code reader}'s role {@code role} (known to the manifest) into {@code target}, which must not exist. */
    static Path extract(PackageReader reader, String role, Path target) throws PackageException, IOException {
        Path absoluteTarget = target.toAbsolutePath().normalize();
        if (Files.exists(absoluteTarget, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageException(absoluteTarget.toString(), "already exists; csemu extracts only into a new directory",
                    "remove it or choose another target");
        }
        Path parent = absoluteTarget.getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempDirectory(parent, ".csemu-extract-");
        boolean done = false;
        try {
            Files.createDirectories(temp.resolve(PackageFormat.APPROOT));
            reader.copyRole(role, (f, content) -> {
                Path dest;
                try {
                    dest = PackagePaths.resolveInside(temp, f.path(), PackageFormat.roleEntry(role, f.path()));
                } catch (PackageException e) {
                    throw new EntryGuard.Refusal(e);
                }
                Files.createDirectories(dest.getParent());
                try (OutputStream out = Files.newOutputStream(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    content.transferTo(out);
                }
                if (f.executable()) {
                    makeExecutable(dest);
                }
            });
            try {
                // a temp directory is private (0700); the extracted role is an ordinary directory tree
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            try {
                Files.move(temp, absoluteTarget, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot move " + temp + " to " + absoluteTarget + " atomically", e);
            }
            done = true;
            return absoluteTarget;
        } finally {
            if (!done) {
                try {
                    FileTrees.delete(temp);
                } catch (IOException e) {
                    // best effort: the original failure matters more; the directory is a hidden temp beside the target
                }
            }
        }
    }

    private static void makeExecutable(Path p) throws IOException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(PosixFilePermission.OWNER_EXECUTE);
            if (perms.contains(PosixFilePermission.GROUP_READ)) {
                perms.add(PosixFilePermission.GROUP_EXECUTE);
            }
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
            }
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to record the bit in
        }
    }
}
