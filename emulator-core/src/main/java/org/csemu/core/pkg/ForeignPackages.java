package org.csemu.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Packages csemu did not write: which generation of CSPack a zip is, and the shared, guarded way of copying its
 * content out. Each generation is laid out as a {@code .csx} directory in a private staging directory
 * ({@link CspackLayout}, {@link CssxLayout}); {@link CsxDirectory} then packs that into a csemu package, which is
 * verified again like any other. So every foreign input ends in the one reading path csemu has.
 */
final class ForeignPackages {

    /** The way out of CSPack's encryption, for every refusal of an encrypted package. */
    static final String ENCRYPTED_FIX = "csemu cannot decrypt CSPack packages: package again with the environment variable"
            + " _CSPACK_FORCE_NOENCRYPT_=true set (CSPack then writes the content unencrypted), or give csemu the .csx directory"
            + " that 'cspack /copyOnly' (or the Visual Studio build) writes";
    static final String CSPACK_FIX = "package the service again with CSPack, or copy the package again if the transfer was interrupted";

    private static final Pattern CSSX = Pattern.compile("(?i)^[^/]+\\.cssx$");

    private ForeignPackages() {
    }

    /**
     * A foreign zip being laid out: what to call it in messages, the zip and its checked entries, the limits, and
     * the staging directory it is laid out in.
     */
    record Input(String display, ZipFile zip, Map<String, ZipArchiveEntry> entries, PackageLimits limits, Path staging) {
    }

    /** A staging directory laid out as a {@code .csx} directory, and what to record as the package's creator. */
    record LaidOut(Path directory, String createdBy) {
    }

    /** Lays a package out into a staging directory. */
    @FunctionalInterface
    interface Layout {
        LaidOut layOut(Path staging) throws PackageException, IOException;
    }

    /** Which CSPack generation a zip without {@code csemu-package.xml} is; refused when it is neither. */
    static PackageOrigin detect(String display, ZipFile zip) throws PackageException {
        if (zip.getEntry(CspackLayout.MANIFEST) != null || zip.getEntry(CspackLayout.RELATIONSHIPS) != null) {
            return PackageOrigin.CSPACK;
        }
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            if (CSSX.matcher(e.getName()).matches()) {
                return PackageOrigin.CSPACK_LEGACY;
            }
        }
        throw new PackageException(display, "is a zip archive but neither a csemu package (no " + PackageFormat.MANIFEST_ENTRY
                + ") nor a package of the Azure SDK's CSPack (no package.xml, no .cssx role package)",
                "give a .cspkg built by 'csemu pack' or by CSPack");
    }

    static LaidOut layOut(PackageOrigin origin, String display, ZipFile zip, Map<String, ZipArchiveEntry> entries,
                          PackageLimits limits, Path staging) throws PackageException, IOException {
        return switch (origin) {
            case CSPACK -> new CspackLayout(new Input(display, zip, entries, limits, staging)).layOut();
            case CSPACK_LEGACY -> new CssxLayout(new Input(display, zip, entries, limits, staging)).layOut();
            default -> throw new IllegalArgumentException("not a zip layout: " + origin);
        };
    }

    /**
     * Copies one entry through an {@link EntryGuard} (bounded by {@code expectedSize}, the package total and the
     * compression ratio) into {@code target}, which must not exist.
     *
     * @param expectedSize the size the package lists, or -1 when it lists none (then the total limit bounds it)
     * @return the SHA-256 of what was copied, lower-case hex
     */
    static String copy(ZipFile zip, ZipArchiveEntry entry, long expectedSize, PackageLimits limits, long[] total, Path target)
            throws PackageException, IOException {
        Files.createDirectories(target.getParent());
        try (InputStream raw = zip.getInputStream(entry);
             OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                     LinkOption.NOFOLLOW_LINKS)) {
            // unknown size: one byte over the package limit, so the limit's own (clearer) refusal comes first
            long bound = expectedSize >= 0 ? expectedSize : limits.maxUnpackedBytes() + 1;
            EntryGuard guard = new EntryGuard(raw, entry.getName(), bound, limits, total);
            guard.transferTo(out);
            String sha = guard.drain();
            if (expectedSize >= 0 && guard.count() != expectedSize) {
                throw new PackageException("entry '" + entry.getName() + "'", "it holds " + guard.count() + " bytes but the package"
                        + " lists " + expectedSize + " (truncated or tampered)", CSPACK_FIX);
            }
            return sha;
        } catch (EntryGuard.Refusal r) {
            throw r.refusal();
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new PackageException("entry '" + entry.getName() + "'", "would be written twice to " + target.getFileName()
                    + " (the package lists the same file twice)", CSPACK_FIX);
        }
    }

    /** Verifies one entry without keeping it: bounded like {@link #copy}, then hashed. */
    static String verify(ZipFile zip, ZipArchiveEntry entry, long expectedSize, PackageLimits limits, long[] total)
            throws PackageException, IOException {
        try (InputStream raw = zip.getInputStream(entry)) {
            EntryGuard guard = new EntryGuard(raw, entry.getName(), expectedSize, limits, total);
            String sha = guard.drain();
            if (guard.count() != expectedSize) {
                throw new PackageException("entry '" + entry.getName() + "'", "it holds " + guard.count() + " bytes but package.xml"
                        + " lists " + expectedSize + " (truncated or tampered)", CSPACK_FIX);
            }
            return sha;
        } catch (EntryGuard.Refusal r) {
            throw r.refusal();
        }
    }

    /** Whether a file laid out from a foreign zip should be executable: its zip mode says so, or it is a shell script. */
    static boolean executable(ZipArchiveEntry entry, String path) {
        boolean unixExecutable = entry.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX && (entry.getUnixMode() & 0100) != 0;
        return unixExecutable || path.toLowerCase(Locale.ROOT).endsWith(".sh");
    }

    static void makeExecutable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }

    /** {@code e} with the package named in front and CSPack's fix, unless it already has one of its own. */
    static PackageException inPackage(String display, PackageException e) {
        String fix = e.fix() == null || e.fix().contains("csemu pack") ? CSPACK_FIX : e.fix();
        return new PackageException(display + ": " + e.subject(), e.reason(), fix, e, e.diagnostics());
    }
}
