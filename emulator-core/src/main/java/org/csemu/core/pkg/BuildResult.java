package org.csemu.core.pkg;

import java.nio.file.Path;
import java.util.List;
import org.csemu.core.diag.Diagnostic;

/**
 * What {@link PackageBuilder#build} produced.
 *
 * @param output       the package file
 * @param packageBytes its size on disk
 * @param manifest     its manifest
 * @param warnings     e.g. a role of the definition left without content
 */
public record BuildResult(Path output, long packageBytes, PackageManifest manifest, List<Diagnostic> warnings) {
    public BuildResult {
        warnings = List.copyOf(warnings);
    }
}
