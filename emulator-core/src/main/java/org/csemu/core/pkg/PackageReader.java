package org.csemu.core.pkg;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import org.csemu.core.pkg.PackageManifest.RoleLayout;
import org.csemu.core.util.FileTrees;

/**
 * Opens a {@code .cspkg} that may come from anywhere and proves it harmless before handing out a byte: every entry
 * name is a plain relative path, no entry is a link or a special file, nothing is listed twice, every file the
 * manifest lists is there with its size and SHA-256 and nothing else is, and inflating stays within
 * {@link PackageLimits} (counted on the actual bytes, never on declared sizes).
 *
 * <p>A package of the Azure SDK's CSPack (either generation) or a {@code .csx} directory is laid out and packed into
 * a csemu package in the temp directory first ({@link ForeignPackages}), under the same limits, and that package is
 * then verified like any other and deleted on {@link #close}; {@link #origin} says what was read.
 *
 * <p>{@link #extractRole} writes into a fresh temporary directory beside the target and moves it into place in one
 * step, so a refused or failed extraction leaves nothing behind ({@link RoleExtraction}). A reader is not
 * thread-safe.
 *
 * <p>Opening is one verification pass (manifest, sizes, hashes, limits) whose checks depend on each other's results,
 * so it stays here in one piece; the zip level under it (opening, refusing unsafe entry names and kinds, bounded
 * reads of small entries) is {@link PackageZip}'s, shared with the foreign layouts of {@link ForeignPackages}.
 */
public final class PackageReader implements Closeable {

    private final Path file;
    private final PackageLimits limits;
    private final ZipFile zip;
    private final PackageManifest manifest;
    private final Map<String, ZipArchiveEntry> entries;
    private final byte[] definitionBytes;
    private PackageOrigin origin = PackageOrigin.CSEMU;
    private Path temporaryPackage;

    private PackageReader(Path file, PackageLimits limits, ZipFile zip, PackageManifest manifest,
                          Map<String, ZipArchiveEntry> entries, byte[] definitionBytes) {
        this.file = file;
        this.limits = limits;
        this.zip = zip;
        this.manifest = manifest;
        this.entries = entries;
        this.definitionBytes = definitionBytes;
    }

    public static PackageReader open(Path packageFile) throws PackageException, IOException {
        return open(packageFile, PackageLimits.DEFAULTS);
    }

    /**
     * Opens and fully verifies a package (every entry is inflated and hashed once).
     *
     * @throws PackageException the package is refused; the message names the entry, the reason and what to do
     * @throws IOException      the file could not be read at all
     */
    public static PackageReader open(Path packageFile, PackageLimits limits) throws PackageException, IOException {
        return open(packageFile, limits, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * As {@link #open(Path, PackageLimits)}, with the staging of a foreign package (a CSPack package or a .csx
     * directory laid out and packed again) under {@code stagingRoot}: a daemon keeps it in its data directory, a test
     * in a directory of its own, where it can see that nothing is left.
     */
    public static PackageReader open(Path packageFile, PackageLimits limits, Path stagingRoot)
            throws PackageException, IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(stagingRoot, "stagingRoot");
        String display = packageFile.toString();
        if (Files.isDirectory(packageFile)) {
            if (!CsxDirectory.isCsxDirectory(packageFile)) {
                throw new PackageException(display, "is a directory but not a .csx directory (ServiceDefinition.csdef, roles/,"
                        + " and a .csx name or ServiceDefinition.rd)", "give a package file, or the .csx directory cspack /copyOnly wrote");
            }
            return imported(packageFile, limits, stagingRoot, PackageOrigin.CSX_DIRECTORY,
                    staging -> new ForeignPackages.LaidOut(packageFile, PackageOrigin.CSX_DIRECTORY.title()));
        }
        if (!Files.isRegularFile(packageFile)) {
            throw new PackageException(display, Files.exists(packageFile) ? "is not a regular file" : "does not exist",
                    "give the path of a .cspkg built by 'csemu pack' or by the Azure SDK's CSPack");
        }
        ZipFile zip = PackageZip.open(packageFile, display);
        if (zip.getEntry(PackageFormat.MANIFEST_ENTRY) == null) {
            try (zip) {
                PackageOrigin foreign = ForeignPackages.detect(display, zip);
                Map<String, ZipArchiveEntry> entries = PackageZip.checkEntries(display, zip, limits, true);
                return imported(packageFile, limits, stagingRoot, foreign,
                        staging -> ForeignPackages.layOut(foreign, display, zip, entries, limits, staging));
            }
        }
        return openCsemu(packageFile, display, zip, limits);
    }

    /** Lays a foreign package out as a .csx directory (or takes one as it is), packs that, and reads the result. */
    private static PackageReader imported(Path input, PackageLimits limits, Path stagingRoot, PackageOrigin origin,
                                          ForeignPackages.Layout layout) throws PackageException, IOException {
        String display = input.toString();
        Files.createDirectories(stagingRoot);
        Path staging = Files.createTempDirectory(stagingRoot, "csemu-import-");
        Path converted = null;
        boolean ok = false;
        try {
            ForeignPackages.LaidOut laidOut = layout.layOut(staging);
            converted = Files.createTempFile(stagingRoot, "csemu-import-", ".cspkg");
            CsxDirectory.toPackage(laidOut.directory(), display, limits, laidOut.createdBy(), converted);
            PackageReader reader = openCsemu(converted, display, PackageZip.open(converted, display), limits);
            reader.origin = origin;
            reader.temporaryPackage = converted;
            ok = true;
            return reader;
        } finally {
            FileTrees.delete(staging);
            if (!ok && converted != null) {
                Files.deleteIfExists(converted);
            }
        }
    }

    private static PackageReader openCsemu(Path packageFile, String display, ZipFile zip, PackageLimits limits)
            throws PackageException, IOException {
        boolean ok = false;
        try {
            Map<String, ZipArchiveEntry> entries = PackageZip.checkEntries(display, zip, limits, false);
            ZipArchiveEntry manifestEntry = entries.get(PackageFormat.MANIFEST_ENTRY);
            PackageManifest manifest;
            try {
                manifest = ManifestXml.read(PackageZip.readSmall(zip, manifestEntry, limits.maxManifestBytes(), limits), limits);
            } catch (PackageException e) {
                throw new PackageException(display + ": " + e.subject(), e.reason(), e.fix(), e);
            }
            Map<String, PackageFile> expected = expectedEntries(display, manifest, limits);
            for (String name : entries.keySet()) {
                if (!name.equals(PackageFormat.MANIFEST_ENTRY) && !expected.containsKey(name)) {
                    throw new PackageException(display + ": entry '" + name + "'", "is not listed in the manifest",
                            "rebuild the package with 'csemu pack'; do not add files to a package by hand");
                }
            }
            for (Map.Entry<String, PackageFile> e : expected.entrySet()) {
                ZipArchiveEntry entry = entries.get(e.getKey());
                if (entry == null) {
                    throw new PackageException(display + ": entry '" + e.getKey() + "'", "is listed in the manifest but missing",
                            "rebuild the package with 'csemu pack'");
                }
                if (entry.getSize() >= 0 && entry.getSize() != e.getValue().size()) {
                    throw new PackageException(display + ": entry '" + e.getKey() + "'", "the zip declares " + entry.getSize()
                            + " bytes but the manifest lists " + e.getValue().size(), "rebuild the package with 'csemu pack'");
                }
            }
            long[] total = {0};
            for (Map.Entry<String, PackageFile> e : expected.entrySet()) {
                verify(display, zip, entries.get(e.getKey()), e.getValue(), limits, total);
            }
            byte[] definition;
            try {
                definition = PackageZip.readSmall(zip, entries.get(PackageFormat.DEFINITION_ENTRY), limits.maxManifestBytes(), limits);
            } catch (PackageException e) {
                throw new PackageException(display + ": " + e.subject(), e.reason(), e.fix(), e);
            }
            PackageReader reader = new PackageReader(Path.of(display), limits, zip, manifest, entries, definition);
            ok = true;
            return reader;
        } finally {
            if (!ok) {
                zip.close();
            }
        }
    }

    /** Where the package came from: csemu's own format, a CSPack package (either generation) or a .csx directory. */
    public PackageOrigin origin() {
        return origin;
    }

    /** The verified manifest. */
    public PackageManifest manifest() {
        return manifest;
    }

    /** The {@code .csdef} bytes, exactly as packed. */
    public byte[] definitionBytes() {
        return definitionBytes.clone();
    }

    public List<String> roleNames() {
        return manifest.roles().stream().map(RoleLayout::name).toList();
    }

    /**
     * Streams every file of a role to {@code sink}, in manifest order, checking each one again as it is read.
     *
     * @throws PackageException the role is unknown, or a file no longer matches the manifest
     */
    public void copyRole(String role, RoleFileSink sink) throws PackageException, IOException {
        RoleLayout layout = layout(role);
        long[] total = {0};
        for (PackageFile f : layout.files()) {
            String entryName = PackageFormat.roleEntry(role, f.path());
            try (InputStream raw = zip.getInputStream(entries.get(entryName))) {
                EntryGuard guard = new EntryGuard(raw, entryName, f.size(), limits, total);
                sink.accept(f, guard);
                guard.finish(f.sha256());
            } catch (EntryGuard.Refusal r) {
                throw withFile(r.refusal());
            }
        }
    }

    /**
     * Extracts a role's content into {@code target} (which must not exist): {@code target/approot/...} and
     * {@code target/sitesroot/<n>/...}. All or nothing: the files are written to a temporary directory beside
     * {@code target} and moved into place in one step; on any failure the temporary directory is deleted.
     *
     * @return {@code target}
     */
    public Path extractRole(String role, Path target) throws PackageException, IOException {
        layout(role);
        try {
            return RoleExtraction.extract(this, role, target);
        } catch (EntryGuard.Refusal r) {
            throw withFile(r.refusal());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            zip.close();
        } finally {
            if (temporaryPackage != null) {
                Files.deleteIfExists(temporaryPackage);
            }
        }
    }

    private RoleLayout layout(String role) throws PackageException {
        return manifest.role(role).orElseThrow(() -> new PackageException(file.toString(), "has no role named '" + role + "'",
                "use one of: " + String.join(", ", roleNames())));
    }

    private PackageException withFile(PackageException e) {
        return new PackageException(file + ": " + e.subject(), e.reason(), e.fix(), e);
    }

    private static Map<String, PackageFile> expectedEntries(String display, PackageManifest m, PackageLimits limits) throws PackageException {
        Map<String, PackageFile> expected = new LinkedHashMap<>();
        if (!m.definition().path().equals(PackageFormat.DEFINITION_ENTRY)) {
            throw new PackageException(display + ": " + PackageFormat.MANIFEST_ENTRY, "lists the definition as '" + m.definition().path()
                    + "', expected " + PackageFormat.DEFINITION_ENTRY, "rebuild the package with 'csemu pack'");
        }
        expected.put(PackageFormat.DEFINITION_ENTRY, m.definition());
        Set<String> roles = new HashSet<>();
        long total = 0;
        for (RoleLayout role : m.roles()) {
            if (!roles.add(role.name())) {
                throw new PackageException(display + ": " + PackageFormat.MANIFEST_ENTRY, "lists role '" + role.name() + "' twice",
                        "rebuild the package with 'csemu pack'");
            }
            for (PackageFile f : role.files()) {
                if (expected.put(PackageFormat.roleEntry(role.name(), f.path()), f) != null) {
                    throw new PackageException(display + ": " + PackageFormat.MANIFEST_ENTRY, "lists '" + f.path() + "' of role '"
                            + role.name() + "' twice", "rebuild the package with 'csemu pack'");
                }
            }
        }
        for (String name : expected.keySet()) {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                if (expected.containsKey(name.substring(0, slash))) {
                    throw new PackageException(display + ": " + PackageFormat.MANIFEST_ENTRY, "lists '" + name.substring(0, slash)
                            + "' both as a file and as the directory of '" + name + "'", "rebuild the package with 'csemu pack'");
                }
            }
        }
        for (PackageFile f : expected.values()) {
            total += f.size();
            if (total > limits.maxUnpackedBytes()) {
                throw new PackageException(display, "would unpack to more than " + limits.maxUnpackedBytes() + " bytes (per its manifest)",
                        "keep packages within 600 MB unpacked, or raise the limit for a package you trust");
            }
        }
        return expected;
    }

    private static void verify(String display, ZipFile zip, ZipArchiveEntry entry, PackageFile f, PackageLimits limits, long[] total)
            throws PackageException, IOException {
        try (InputStream raw = zip.getInputStream(entry)) {
            EntryGuard guard = new EntryGuard(raw, entry.getName(), f.size(), limits, total);
            guard.finish(f.sha256());
        } catch (EntryGuard.Refusal r) {
            PackageException e = r.refusal();
            throw new PackageException(display + ": " + e.subject(), e.reason(), e.fix(), e);
        } catch (PackageException e) {
            throw new PackageException(display + ": " + e.subject(), e.reason(), e.fix(), e);
        } catch (IOException e) {
            throw new PackageException(display + ": entry '" + entry.getName() + "'", "cannot be inflated (corrupt or truncated): "
                    + e.getMessage(), "rebuild the package, or copy it again if the transfer was interrupted", e);
        }
    }

}
