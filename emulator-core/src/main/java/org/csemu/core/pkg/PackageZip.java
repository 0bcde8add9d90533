package org.csemu.core.pkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * The zip level of reading a package of unknown origin, csemu's own or a foreign one ({@link PackageReader},
 * {@link CspackLayout}, {@link CssxLayout}): opening the archive, refusing an entry whose name or kind is unsafe, and
 * reading a small entry (a manifest, a definition) within a byte bound.
 */
final class PackageZip {

    private static final int UNIX_TYPE_MASK = 0170000;
    private static final int UNIX_REGULAR = 0100000;
    private static final int WINDOWS_REPARSE_POINT = 0x400;

    private PackageZip() {
    }

    static ZipFile open(Path file, String display) throws PackageException {
        try {
            return ZipFile.builder().setPath(file).setUseUnicodeExtraFields(false).get();
        } catch (IOException | RuntimeException e) {
            throw new PackageException(display, "is not a readable zip archive (truncated or corrupt): " + e.getMessage(),
                    "rebuild the package, or copy it again if the transfer was interrupted", e);
        }
    }

    /**
     * Checks every entry's name and kind. A foreign (CSPack) zip may have directory entries, which are skipped; an
     * encrypted entry in it is refused with the way out of CSPack's encryption.
     */
    static Map<String, ZipArchiveEntry> checkEntries(String display, ZipFile zip, PackageLimits limits, boolean foreign)
            throws PackageException {
        Map<String, ZipArchiveEntry> byName = new LinkedHashMap<>();
        int count = 0;
        for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
            if (++count > limits.maxEntries()) {
                throw new PackageException(display, "has more than " + limits.maxEntries() + " entries",
                        "split the content, or raise the entry limit for a package you trust");
            }
            String name = e.getName();
            String subject = display + ": entry '" + name + "'";
            boolean skippedDirectory = foreign && e.isDirectory();
            var problem = PackagePaths.problem(skippedDirectory ? name.substring(0, name.length() - 1) : name, limits.maxPathLength());
            if (problem.isPresent()) {
                throw new PackageException(subject, "is refused: " + problem.get(),
                        "do not use this package; rebuild it with 'csemu pack'");
            }
            if (skippedDirectory) {
                continue;
            }
            if (foreign && e.getGeneralPurposeBit().usesEncryption()) {
                throw new PackageException(subject, "is encrypted", ForeignPackages.ENCRYPTED_FIX);
            }
            if (e.isDirectory()) {
                throw new PackageException(subject, "is a directory entry; csemu packages list files only",
                        "rebuild the package with 'csemu pack'");
            }
            if (e.isUnixSymlink()) {
                throw new PackageException(subject, "is a symbolic link; links are refused because they can point outside the target",
                        "do not use this package; rebuild it with 'csemu pack'");
            }
            int unixType = e.getPlatform() == ZipArchiveEntry.PLATFORM_UNIX ? e.getUnixMode() & UNIX_TYPE_MASK : 0;
            if (unixType != 0 && unixType != UNIX_REGULAR) {
                throw new PackageException(subject, "is not a regular file (a link, device or pipe: unix mode "
                        + Integer.toOctalString(e.getUnixMode()) + ")", "do not use this package; rebuild it with 'csemu pack'");
            }
            if (e.getPlatform() == ZipArchiveEntry.PLATFORM_FAT && (e.getExternalAttributes() & WINDOWS_REPARSE_POINT) != 0) {
                throw new PackageException(subject, "is marked as a Windows reparse point (a link)",
                        "do not use this package; rebuild it with 'csemu pack'");
            }
            if (e.getMethod() != ZipArchiveEntry.STORED && e.getMethod() != ZipArchiveEntry.DEFLATED) {
                throw new PackageException(subject, "uses zip compression method " + e.getMethod() + "; csemu reads stored and deflated entries only",
                        "rebuild the package with 'csemu pack'");
            }
            if (!zip.canReadEntryData(e)) {
                throw new PackageException(subject, "cannot be read (encrypted or an unsupported zip feature)",
                        "rebuild the package with 'csemu pack'");
            }
            if (byName.putIfAbsent(name, e) != null) {
                throw new PackageException(subject, "appears twice in the archive; which copy is meant is ambiguous",
                        "do not use this package; rebuild it with 'csemu pack'");
            }
        }
        return byName;
    }

    static byte[] readSmall(ZipFile zip, ZipArchiveEntry entry, int max, PackageLimits limits) throws IOException, PackageException {
        try (InputStream raw = zip.getInputStream(entry)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            long size = 0;
            while ((n = raw.read(buf)) > 0) {
                out.write(buf, 0, n);
                size += n;
                if (size > max) {
                    throw new PackageException("entry '" + entry.getName() + "'", "is larger than " + max + " bytes",
                            "rebuild the package with 'csemu pack'");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new PackageException("entry '" + entry.getName() + "'", "cannot be inflated (corrupt or truncated): " + e.getMessage(),
                    "rebuild the package, or copy it again if the transfer was interrupted", e);
        }
    }
}
