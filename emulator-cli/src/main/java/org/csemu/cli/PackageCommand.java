package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.csemu.core.pkg.PackageException;
import org.csemu.core.pkg.PackageInspector;
import org.csemu.core.pkg.PackageInspector.PackageReport;
import org.csemu.core.pkg.PackageInspector.RoleReport;
import org.csemu.core.pkg.PackageManifest.PackageFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code csemu package ...}: offline operations on a .cspkg. */
@Command(name = "package", mixinStandardHelpOptions = true, description = "Work with .cspkg packages.",
        subcommands = PackageCommand.Inspect.class)
public final class PackageCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("csemu package: a subcommand is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code csemu package inspect FILE [--json]}. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Verify a package and list its roles, files and sizes.",
                "Exit codes: 0 the package is valid, 1 it is refused (the reason is printed), 2 usage error."})
    public static final class Inspect implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE",
                description = "The package to inspect: a .cspkg of csemu or of the Azure SDK's CSPack (either format), or a .csx directory.")
        Path file;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter stdout = spec.commandLine().getOut();
            PrintWriter stderr = spec.commandLine().getErr();
            try {
                PackageReport report = new PackageInspector().inspect(file);
                if (json) {
                    stdout.println(toJson(report));
                } else {
                    print(report, stdout);
                }
                stdout.flush();
                return ExitCodes.OK;
            } catch (PackageException | IOException e) {
                stderr.println("csemu package inspect: refused: " + e.getMessage());
                stderr.flush();
                return ExitCodes.INVALID;
            }
        }

        private static String toJson(PackageReport report) {
            try {
                return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the report as JSON", e);
            }
        }

        private static void print(PackageReport r, PrintWriter out) {
            out.printf("Package %s (%s, %d bytes, created by %s)%n", r.file(), r.layout(), r.packageBytes(), r.createdBy());
            out.printf("Service %s: %d file(s), %d bytes unpacked%n", r.serviceName(), r.fileCount(), r.totalBytes());
            out.printf("  %12d  %s%n", r.definition().size(), r.definition().path());
            for (RoleReport role : r.roles()) {
                out.printf("Role %s: %d file(s), %d bytes%n", role.name(), role.fileCount(), role.totalBytes());
                for (PackageFile f : role.files()) {
                    out.printf("  %12d  %s%s%n", f.size(), f.path(), f.executable() ? "  (executable)" : "");
                }
            }
        }
    }
}
