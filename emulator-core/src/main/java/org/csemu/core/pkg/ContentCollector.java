package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Gathers the files of one role, keyed by their package path, refusing what cannot be packed faithfully.
 *
 * <p>Symbolic links inside a content directory are refused, not followed: a link can point outside the directory
 * (packing {@code /etc} by accident), and a link's target does not exist in the guest, so following or keeping it
 * would both make the package differ from what the developer sees. The directory named on the command line may
 * itself be a link; it is resolved once.
 */
final class ContentCollector {

    private final String role;
    private final PackageLimits limits;
    private final SortedMap<String, ContentSource> files = new TreeMap<>();

    ContentCollector(String role, PackageLimits limits) {
        this.role = role;
        this.limits = limits;
    }

    /** Adds every regular file under {@code dir} as {@code prefix/<relative path>}. */
    void addDirectory(Path dir, String prefix, String origin) throws PackageException, IOException {
        if (!Files.isDirectory(dir)) {
            throw new PackageException(dir.toString(), (Files.exists(dir) ? "is not a directory" : "does not exist")
                    + " (content of role '" + role + "' from " + origin + ")", "give an existing directory");
        }
        Path root = dir.toRealPath();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String relative = relative(root, file);
                    if (attrs.isSymbolicLink()) {
                        throw new Refused(new PackageException(file.toString(),
                                "is a symbolic link inside the content of role '" + role + "' (" + origin
                                        + "); csemu packs no links: a link may point outside the content and does not exist in the guest",
                                "replace the link with a copy of the file or directory it points to"));
                    }
                    if (!attrs.isRegularFile()) {
                        throw new Refused(new PackageException(file.toString(),
                                "is not a regular file (device, socket or pipe) inside the content of role '" + role + "'",
                                "remove it from the content directory"));
                    }
                    try {
                        add(prefix + "/" + relative, new ContentSource(file, origin));
                    } catch (PackageException e) {
                        throw new Refused(e);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    throw new Refused(new PackageException(file.toString(), "cannot be read: " + exc.getMessage(),
                            "check its permissions", exc));
                }
            });
        } catch (Refused r) {
            throw r.cause;
        }
    }

    void add(String packagePath, ContentSource source) throws PackageException {
        Optional<String> problem = PackagePaths.roleFileProblem(packagePath, limits.maxPathLength());
        if (problem.isPresent()) {
            throw new PackageException(source.file().toString(), "cannot be packed as '" + packagePath + "' of role '"
                    + role + "': " + problem.get(), "rename the file");
        }
        ContentSource previous = files.putIfAbsent(packagePath, source);
        if (previous != null) {
            throw new PackageException(packagePath, "role '" + role + "' gets this file twice: from " + previous.file()
                    + " (" + previous.origin() + ") and from " + source.file() + " (" + source.origin() + ")",
                    "make the content mappings of the role disjoint");
        }
    }

    /** Package path → source, sorted by package path (the order of the zip entries). */
    Map<String, ContentSource> files() {
        return files;
    }

    private static String relative(Path root, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path segment : root.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(segment);
        }
        return sb.toString();
    }

    static boolean isExecutable(Path file) {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException | IOException e) {
            return false;
        }
    }

    /** Carries a PackageException through the file visitor. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient PackageException cause;

        Refused(PackageException cause) {
            super(cause.getMessage());
            this.cause = cause;
        }
    }
}
