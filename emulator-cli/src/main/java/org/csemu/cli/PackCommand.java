package org.csemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.pkg.BuildResult;
import org.csemu.core.pkg.CspackWriter;
import org.csemu.core.pkg.PackageBuilder;
import org.csemu.core.pkg.PackageException;
import org.csemu.core.pkg.PackageReader;
import org.csemu.core.pkg.PackageManifest.RoleLayout;
import org.csemu.core.pkg.SiteContent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code csemu pack}: builds a .cspkg offline, like CSPack (see docs/packages.md). */
@Command(name = "pack", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build a .cspkg package from a service definition and the content of its roles.",
            "Exit codes: 0 built, 1 refused (definition errors, missing content, links, limits), 2 usage error."})
public final class PackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CSDEF", description = "The service definition (.csdef). It is stored unchanged in the package.")
    Path definition;

    @Option(names = "--role", paramLabel = "NAME=DIR",
            description = "The content of role NAME: DIR becomes its approot. Repeat for each role. Roles left out get an empty approot (with a warning).")
    List<String> roles = new ArrayList<>();

    @Option(names = "--sites", paramLabel = "ROLE;VPATH;DIR",
            description = "Web role site content: VPATH is a site name (-> sitesroot/<site index>) or a virtual path inside it (Web/api). "
                    + "Without it, a site's physicalDirectory from the definition is used.")
    List<String> sites = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "The package to write (default: <service name>.cspkg in the current directory).")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csemu",
            description = "csemu (default: csemu's own package) or cspack (the Azure SDK's current format: package.xml,"
                    + " LocalContent blobs; csemu reads it back, the cloud would want what CSPack adds from the SDK, see docs/packages.md).")
    String format;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (!format.equals("csemu") && !format.equals("cspack")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format must be csemu or cspack, not '" + format + "'");
        }
        try {
            PackageBuilder builder = PackageBuilder.forDefinitionFile(definition, new ServiceModelParser())
                    .createdBy(new VersionProvider().getVersion()[0]);
            Set<String> seen = new HashSet<>();
            for (String role : roles) {
                int eq = role.indexOf('=');
                if (eq <= 0 || eq == role.length() - 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--role '" + role + "' is not NAME=DIR");
                }
                String name = role.substring(0, eq);
                if (!seen.add(name)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--role " + name + " is given twice");
                }
                builder.role(name, Path.of(role.substring(eq + 1)));
            }
            for (String site : sites) {
                try {
                    builder.site(SiteContent.parse(site));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--sites " + e.getMessage());
                }
            }
            Path target = out;
            if (target == null) {
                target = Path.of(serviceName(builder) + ".cspkg");
            }
            BuildResult result = format.equals("cspack") ? buildCspack(builder, target) : builder.build(target);
            for (Diagnostic w : result.warnings()) {
                stderr.println(w.format());
            }
            stdout.printf("Packed service '%s' into %s (%s, %d bytes)%n", result.manifest().serviceName(), result.output(),
                    format.equals("cspack") ? "CSPack format" : "csemu format", result.packageBytes());
            for (RoleLayout role : result.manifest().roles()) {
                stdout.printf("  role %-20s %6d file(s) %12d bytes%n", role.name(), role.files().size(), role.totalBytes());
            }
            stdout.flush();
            stderr.flush();
            return ExitCodes.OK;
        } catch (PackageException e) {
            if (!e.diagnostics().isEmpty()) {
                e.diagnostics().forEach(d -> stderr.println(d.format()));
                stderr.println("csemu pack: " + definition + " has " + e.diagnostics().size() + " error(s); no package was written");
            } else {
                stderr.println("csemu pack: " + e.getMessage());
            }
            stderr.flush();
            return ExitCodes.INVALID;
        } catch (IOException e) {
            stderr.println("csemu pack: " + e.getMessage());
            stderr.flush();
            return ExitCodes.INVALID;
        }
    }

    /** Builds csemu's package beside the target, then writes it again in CSPack's current format. */
    private static BuildResult buildCspack(PackageBuilder builder, Path target) throws PackageException, IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        java.nio.file.Files.createDirectories(parent);
        Path intermediate = java.nio.file.Files.createTempFile(parent, "." + absolute.getFileName() + ".", ".cspkg");
        try {
            BuildResult built = builder.build(intermediate);
            try (PackageReader reader = PackageReader.open(intermediate)) {
                CspackWriter.write(reader, absolute);
            }
            return new BuildResult(absolute, java.nio.file.Files.size(absolute), built.manifest(), built.warnings());
        } finally {
            java.nio.file.Files.deleteIfExists(intermediate);
        }
    }

    private static String serviceName(PackageBuilder builder) {
        return builder.definition().name();
    }
}
