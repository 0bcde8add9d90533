package org.csemu.core.pkg;

import java.util.List;
import java.util.Optional;

/**
 * The table of contents of a csemu package ({@value PackageFormat#MANIFEST_ENTRY}): what every role's files are, how
 * big they are and their SHA-256, so a reader can verify the archive before trusting a single byte of it.
 *
 * @param formatVersion {@value PackageFormat#FORMAT_VERSION} for packages this version writes
 * @param createdBy     the tool that built the package, e.g. {@code csemu 0.1.0}
 * @param serviceName   the service definition's name
 * @param definition    the {@code .csdef} entry
 * @param roles         one layout per role of the definition, in definition order
 */
public record PackageManifest(int formatVersion, String createdBy, String serviceName, PackageFile definition, List<RoleLayout> roles) {

    public PackageManifest {
        roles = List.copyOf(roles);
    }

    public Optional<RoleLayout> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** Sum of every file's size, the definition included. */
    public long totalBytes() {
        return definition.size() + roles.stream().mapToLong(RoleLayout::totalBytes).sum();
    }

    public int fileCount() {
        return 1 + roles.stream().mapToInt(r -> r.files().size()).sum();
    }

    /** The files of one role; {@code path} of each file is relative to the role root ({@code approot/...}). */
    public record RoleLayout(String name, List<PackageFile> files) {
        public RoleLayout {
            files = List.copyOf(files);
        }

        public long totalBytes() {
            return files.stream().mapToLong(PackageFile::size).sum();
        }
    }

    /**
     * One file.
     *
     * @param path       inside the role: {@code approot/...} or {@code sitesroot/<n>/...}; for the definition, its entry
     * @param size       bytes
     * @param sha256     lower-case hex
     * @param executable whether the source file was executable (restored on extraction; zip entries carry no mode)
     */
    public record PackageFile(String path, long size, String sha256, boolean executable) {
    }
}
