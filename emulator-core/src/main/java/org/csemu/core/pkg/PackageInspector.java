package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.csemu.core.pkg.PackageManifest.PackageFile;

/**
 * Says what is in a package (roles, files, sizes) after verifying it like {@link PackageReader} does, so an inspected
 * package is one the fabric will accept (csemu's own packages, CSPack packages of both generations, {@code .csx}
 * directories). The report is plain records, ready for JSON; role files are those csemu uses ({@code approot},
 * {@code sitesroot}).
 */
public final class PackageInspector {

    private final PackageLimits limits;

    public PackageInspector() {
        this(PackageLimits.DEFAULTS);
    }

    public PackageInspector(PackageLimits limits) {
        this.limits = limits;
    }

    public PackageReport inspect(Path packageFile) throws PackageException, IOException {
        try (PackageReader reader = PackageReader.open(packageFile, limits)) {
            PackageManifest m = reader.manifest();
            List<RoleReport> roles = m.roles().stream()
                    .map(r -> new RoleReport(r.name(), r.files().size(), r.totalBytes(), r.files()))
                    .toList();
            long size = Files.isDirectory(packageFile) ? 0 : Files.size(packageFile);
            return new PackageReport(packageFile.toString(), reader.origin().title(), size, m.formatVersion(), m.createdBy(),
                    m.serviceName(), m.definition(), roles, m.fileCount(), m.totalBytes());
        }
    }

    /**
     * @param layout       what was read: a csemu package, a CSPack package (either generation) or a .csx directory
     * @param packageBytes size of the package file (0 for a directory)
     * @param formatVersion csemu's package format the content was verified in (imports are converted to it)
     * @param fileCount    files in the package, the definition included
     * @param totalBytes   bytes once unpacked, the definition included
     */
    public record PackageReport(
            String file,
            String layout,
            long packageBytes,
            int formatVersion,
            String createdBy,
            String serviceName,
            PackageFile definition,
            List<RoleReport> roles,
            int fileCount,
            long totalBytes) {
        public PackageReport {
            roles = List.copyOf(roles);
        }
    }

    /** One role: its files with their paths relative to the role root. */
    public record RoleReport(String name, int fileCount, long totalBytes, List<PackageFile> files) {
        public RoleReport {
            files = List.copyOf(files);
        }
    }
}
