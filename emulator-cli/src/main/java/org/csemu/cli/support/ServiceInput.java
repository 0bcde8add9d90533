package org.csemu.cli.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.CsxDirectory;
import org.csemu.core.pkg.PackageException;
import org.csemu.core.pkg.PackageReader;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;

/**
 * What {@code csemu run} deploys: a service directory ({@code ServiceDefinition.csdef}, one {@code *.cscfg} unless
 * named, a folder per role) or a package with its {@code .cscfg}: a {@code .cspkg} (csemu's or CSPack's) or a
 * {@code .csx} directory, which is sent to the daemon as a package. Paths are made absolute because the daemon
 * reads them, not the CLI's working directory.
 *
 * @param service the directory or package
 * @param directory whether {@code service} is a directory
 * @param configuration the {@code .cscfg}
 */
public record ServiceInput(Path service, boolean directory, Path configuration) {

    public static final String DEFINITION = "ServiceDefinition.csdef";

    public static ServiceInput resolve(Path service, Path cscfg) throws DaemonClientException {
        Path s = service.toAbsolutePath().normalize();
        if (CsxDirectory.isCsxDirectory(s)) {
            // the compute emulator's layout is read as a package; its configuration lives beside it, in the project
            if (cscfg == null) {
                throw invalid(s + " is a .csx directory (cspack /copyOnly): give its service configuration (.cscfg) too,"
                        + " e.g. `csemu run " + service + " ServiceConfiguration.Local.cscfg`");
            }
            Path c = cscfg.toAbsolutePath().normalize();
            requireFile(c, "service configuration");
            return new ServiceInput(s, false, c);
        }
        if (Files.isDirectory(s)) {
            Path def = s.resolve(DEFINITION);
            if (!Files.isRegularFile(def)) {
                throw invalid(s + " has no " + DEFINITION + "; a service directory holds the definition, a .cscfg"
                        + " and one folder per role");
            }
            Path c = cscfg != null ? cscfg.toAbsolutePath().normalize() : onlyConfiguration(s);
            requireFile(c, "service configuration");
            return new ServiceInput(s, true, c);
        }
        if (!Files.isRegularFile(s)) {
            throw invalid("no service directory or package at " + s);
        }
        if (cscfg == null) {
            throw invalid(s + " is a package: give its service configuration (.cscfg) too, e.g. `csemu run "
                    + service + " ServiceConfiguration.Local.cscfg`");
        }
        Path c = cscfg.toAbsolutePath().normalize();
        requireFile(c, "service configuration");
        return new ServiceInput(s, false, c);
    }

    /** Parses and validates the definition against the configuration, offline, as the fabric will. */
    public LoadResult validate() throws DaemonClientException {
        ServiceModelLoader loader = new ServiceModelLoader(new ServiceModelParser(),
                new ServiceModelValidator(ValidationLimits.defaults()));
        if (directory) {
            return loader.load(service.resolve(DEFINITION), configuration);
        }
        try (PackageReader reader = PackageReader.open(service)) {
            return loader.load(service + "!" + DEFINITION, reader.definitionBytes(), configuration.toString(),
                    Files.readAllBytes(configuration));
        } catch (PackageException e) {
            StringBuilder m = new StringBuilder("the package " + service + " is refused: " + e.getMessage());
            for (Diagnostic d : e.diagnostics()) {
                m.append('\n').append(d.format());
            }
            throw invalid(m.toString());
        } catch (IOException e) {
            throw invalid("cannot read " + service + ": " + e.getMessage());
        }
    }

    /** The name a deployment of this service gets by default: the directory's or package's base name. */
    public String defaultName() {
        String n = service.getFileName().toString().replaceAll("(?i)\\.(cspkg|csx)$", "").toLowerCase()
                .replaceAll("[^a-z0-9_.-]", "-").replaceAll("^[^a-z0-9]+", "");
        return n.isEmpty() ? "service" : n.length() > 60 ? n.substring(0, 60) : n;
    }

    private static Path onlyConfiguration(Path dir) throws DaemonClientException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.cscfg")) {
            s.forEach(found::add);
        } catch (IOException e) {
            throw invalid("cannot list " + dir + ": " + e.getMessage());
        }
        if (found.size() != 1) {
            throw invalid(dir + " has " + found.size() + " .cscfg files " + found.stream()
                    .map(p -> p.getFileName().toString()).sorted().toList()
                    + "; name the one to deploy: csemu run " + dir + " <cscfg>");
        }
        return found.get(0);
    }

    private static void requireFile(Path file, String what) throws DaemonClientException {
        if (!Files.isRegularFile(file)) {
            throw invalid("no " + what + " at " + file);
        }
    }

    private static DaemonClientException invalid(String message) {
        return new DaemonClientException(ExitCodes.INVALID, message);
    }
}
