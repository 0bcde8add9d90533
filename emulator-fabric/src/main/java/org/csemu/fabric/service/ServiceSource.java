package org.csemu.fabric.service;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.CsxDirectory;
import org.csemu.core.pkg.PackageBuilder;
import org.csemu.core.pkg.PackageException;

/**
 * What a user deploys: a service directory (samples/hello-web/README.md convention: {@code ServiceDefinition.csdef},
 * one {@code *.cscfg}, one folder per role named after the role, sites from {@code Site@physicalDirectory}) or a
 * package, plus a configuration. A package is a {@code .cspkg} (csemu's, or the Azure SDK's CSPack of either
 * generation) or a {@code .csx} directory ({@code cspack /copyOnly}); {@code PackageReader} reads all of them. A service
 * directory is packed into a temporary package first, so every input takes the same verified path into the fabric.
 *
 * @param packageFile   the package to deploy from
 * @param configuration the {@code .cscfg}
 * @param temporary     true when {@code packageFile} was built here and must be deleted after use
 */
public record ServiceSource(Path packageFile, Path configuration, boolean temporary) {

    public static final String DEFINITION_FILE = "ServiceDefinition.csdef";

    /**
     * Resolve a service directory or a package and a configuration (null: the directory's only {@code *.cscfg}).
     */
    public static ServiceSource resolve(Path serviceDirOrPackage, Path cscfg, Path tempDir)
            throws DeploymentRejectedException {
        if (Files.isDirectory(serviceDirOrPackage) && !CsxDirectory.isCsxDirectory(serviceDirOrPackage)) {
            Path configuration = cscfg != null ? cscfg : onlyConfiguration(serviceDirOrPackage);
            requireFile(configuration, "service configuration");
            return new ServiceSource(pack(serviceDirOrPackage, tempDir), configuration, true);
        }
        if (!CsxDirectory.isCsxDirectory(serviceDirOrPackage)) {
            requireFile(serviceDirOrPackage, "service package");
        }
        if (cscfg == null) {
            throw new DeploymentRejectedException(serviceDirOrPackage + " is a package: give its service configuration"
                    + " (.cscfg) too; a package never contains one");
        }
        requireFile(cscfg, "service configuration");
        return new ServiceSource(serviceDirOrPackage, cscfg, false);
    }

    /** Delete the temporary package, if one was built. */
    public void cleanup() {
        if (temporary) {
            try {
                Files.deleteIfExists(packageFile);
            } catch (IOException ignored) {
                // a temp file; the OS cleans it eventually
            }
        }
    }

    private static Path pack(Path dir, Path tempDir) throws DeploymentRejectedException {
        Path csdef = dir.resolve(DEFINITION_FILE);
        requireFile(csdef, "service definition (" + DEFINITION_FILE + " in the service directory)");
        try {
            PackageBuilder builder = PackageBuilder.forDefinitionFile(csdef, new ServiceModelParser()).createdBy("csemu fabric");
            for (RoleDefinition role : builder.definition().roles()) {
                Path roleDir = dir.resolve(role.name());
                if (Files.isDirectory(roleDir)) {
                    builder.role(role.name(), roleDir);
                }
            }
            Files.createDirectories(tempDir);
            Path out = Files.createTempFile(tempDir, "service-", ".cspkg");
            Files.delete(out); // the builder moves its result into place and refuses nothing there
            builder.build(out);
            return out;
        } catch (PackageException e) {
            throw new DeploymentRejectedException(e.getMessage(), e.diagnostics(), e);
        } catch (IOException e) {
            throw new DeploymentRejectedException("cannot pack " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path onlyConfiguration(Path dir) throws DeploymentRejectedException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.cscfg")) {
            s.forEach(found::add);
        } catch (IOException e) {
            throw new DeploymentRejectedException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (found.size() != 1) {
            throw new DeploymentRejectedException(dir + " has " + found.size() + " .cscfg files " + found.stream()
                    .map(p -> p.getFileName().toString()).sorted().toList() + "; name the configuration to deploy");
        }
        return found.get(0);
    }

    private static void requireFile(Path file, String what) throws DeploymentRejectedException {
        if (!Files.isRegularFile(file)) {
            throw new DeploymentRejectedException("no " + what + " at " + file);
        }
    }
}
