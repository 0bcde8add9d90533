package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.csemu.core.pkg.PackageManifest.PackageFile;

/**
 * Says what is in a package (roles, files, sizes) after verifying it like {@link PackageReader} does, so an inspected
 * package is one the fabric will accept. The report is plain records, ready for JSON.
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
            return new PackageReport(packageFile.toString(), Files.size(packageFile), m.formatVersion(), m.createdBy(),
                    m.serviceName(), m.definition(), roles, m.fileCount(), m.totalBytes());
        }
    }

    /**
     * @param packageBytes size of the package file
     * @param fileCount    files in the package, the definition included
     * @param totalBytes   bytes once unpacked, the definition included
     */
    public record PackageReport(
            String file,
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
