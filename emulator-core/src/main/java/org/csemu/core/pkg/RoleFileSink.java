package org.csemu.core.pkg;

import java.io.IOException;
import java.io.InputStream;
import org.csemu.core.pkg.PackageManifest.PackageFile;

/**
 * Receives a role's files one by one from {@link PackageReader#copyRole}, e.g. to write them straight into a
 * config-drive tar stream without extracting to disk first.
 */
@FunctionalInterface
public interface RoleFileSink {

    /**
     * @param file    the manifest entry ({@code path} relative to the role root, size, hash, executable bit)
     * @param content the file's bytes, bounded to the manifest size; the hash is checked once this returns, and a
     *                {@link PackageException} from {@code copyRole} then means the bytes already consumed must be
     *                discarded
     */
    void accept(PackageFile file, InputStream content) throws IOException;
}
