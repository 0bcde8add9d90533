package org.csemu.core.pkg;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.parse.ParseResult;
import org.csemu.core.parse.ServiceModelParser;

/**
 * The directory {@code cspack /copyOnly} writes for the compute emulator ({@code <service>.csx}):
 * {@code ServiceDefinition.csdef} (with the generated {@code ServiceDefinition.rd} beside it) and
 * {@code roles/<Role>/approot/...}, {@code roles/<Role>/sitesroot/<n>/...}. csemu turns it into one of its own
 * packages, so that a {@code .csx} takes the same verified path into the fabric as a {@code .cspkg}. The imported
 * CSPack packages are laid out into this shape first, so this is also the last step of every import.
 */
public final class CsxDirectory {

    static final String DEFINITION = "ServiceDefinition.csdef";
    static final String ROLES = "roles";

    private CsxDirectory() {
    }

    /**
     * Whether {@code dir} is a {@code .csx} directory rather than a csemu service directory: it has
     * {@code ServiceDefinition.csdef} and {@code roles/}, and its name ends in {@code .csx} or the generated
     * {@code ServiceDefinition.rd} is beside the definition.
     */
    public static boolean isCsxDirectory(Path dir) {
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve(DEFINITION)) || !Files.isDirectory(dir.resolve(ROLES))) {
            return false;
        }
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return (name != null && name.toString().toLowerCase(Locale.ROOT).endsWith(".csx"))
                || Files.isRegularFile(dir.resolve("ServiceDefinition.rd"));
    }

    /**
     * Packs the layout at {@code dir} into a csemu package at {@code output}. Links anywhere in the layout are refused,
     * so is a {@code roles/} entry that is not a role of the definition; the limits apply as to any package.
     *
     * @param display what to call the input in messages (the user's path, even when {@code dir} is a staging copy)
     */
    static BuildResult toPackage(Path dir, String display, PackageLimits limits, String createdBy, Path output)
            throws PackageException, IOException {
        Path csdef = dir.resolve(DEFINITION);
        Path roles = dir.resolve(ROLES);
        for (Path p : List.of(csdef, roles)) {
            if (Files.isSymbolicLink(p)) {
                throw new PackageException(display + ": " + dir.relativize(p), "is a symbolic link; csemu follows no links in a"
                        + " package layout", "replace the link with what it points to");
            }
        }
        if (!Files.isRegularFile(csdef, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageException(display, "has no " + DEFINITION, "give the .csx directory cspack /copyOnly wrote");
        }
        if (Files.size(csdef) > limits.maxManifestBytes()) {
            throw new PackageException(display + ": " + DEFINITION, "is larger than " + limits.maxManifestBytes() + " bytes",
                    "check the service definition");
        }
        byte[] bytes = Files.readAllBytes(csdef);
        String label = display + (display.endsWith(DEFINITION) ? "" : "!" + DEFINITION);
        ParseResult<ServiceDefinition> parsed = new ServiceModelParser().parseDefinition(label, bytes);
        List<Diagnostic> errors = parsed.diagnostics().stream().filter(Diagnostic::isError).toList();
        if (parsed.model().isEmpty() || !errors.isEmpty()) {
            throw new PackageException(label, "has " + errors.size() + " error(s):\n"
                    + String.join("\n", errors.stream().map(Diagnostic::format).toList()), "correct the service definition",
                    null, errors);
        }
        ServiceDefinition definition = parsed.model().get();
        PackageBuilder builder = PackageBuilder.forDefinition(csdef, bytes, definition).limits(limits).createdBy(createdBy);
        if (Files.isDirectory(roles, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> roleDirs = new ArrayList<>();
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(roles)) {
                listing.forEach(roleDirs::add);
            }
            for (Path roleDir : roleDirs) {
                String role = roleDir.getFileName().toString();
                if (!Files.isDirectory(roleDir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new PackageException(display + ": " + ROLES + "/" + role, "is not a directory (a link or a file);"
                            + " roles/ holds one directory per role", "remove it");
                }
                if (definition.role(role).isEmpty()) {
                    throw new PackageException(display + ": " + ROLES + "/" + role, "is not a role of the service definition",
                            "use one of: " + String.join(", ", definition.roles().stream().map(r -> r.name()).toList()));
                }
                builder.laidOutRole(role, roleDir);
            }
        }
        return builder.build(output);
    }
}
