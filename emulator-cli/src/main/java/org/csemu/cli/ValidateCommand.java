package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code csemu validate <csdef> <cscfg>}: parses both files and validates one against the other, offline, the same way
 * the fabric does before a deployment. Compiler-style lines for people and editors, or one JSON array for CI.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Validate a service definition (csdef) against a service configuration (cscfg), offline.",
            "Prints one line per finding (path:line:col: severity CODE message (fix: ...)) and a summary.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:no errors (warnings allowed, unless --warnings-as-errors)",
            "1:errors found (or warnings, with --warnings-as-errors), or a file is missing or unreadable",
            "2:wrong command line",
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  csemu validate ServiceDefinition.csdef ServiceConfiguration.Cloud.cscfg",
            "  csemu validate --json --max-instances 100 svc.csdef svc.Local.cscfg",
            "",
            "Diagnostic codes are listed in docs/diagnostics.md.",
        })
public final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<csdef>", description = "The service definition (ServiceDefinition.csdef).")
    Path csdef;

    @Parameters(index = "1", paramLabel = "<cscfg>", description = "The service configuration (ServiceConfiguration.*.cscfg).")
    Path cscfg;

    @Option(names = "--json", description = "Print exactly one JSON array of diagnostics on stdout (file, line, column, "
            + "severity, code, message, fix), nothing else.")
    boolean json;

    @Option(names = "--max-roles", paramLabel = "N", description = "Roles allowed per deployment (default: ${DEFAULT-VALUE}).")
    int maxRoles = ValidationLimits.DEFAULT_MAX_ROLES;

    @Option(names = "--max-instances", paramLabel = "N",
            description = "Role instances allowed per deployment (default: ${DEFAULT-VALUE}).")
    int maxInstances = ValidationLimits.DEFAULT_MAX_INSTANCES;

    @Option(names = "--max-input-endpoints", paramLabel = "N",
            description = "Input and instance input endpoints allowed per deployment (default: ${DEFAULT-VALUE}).")
    int maxInputEndpoints = ValidationLimits.DEFAULT_MAX_INPUT_ENDPOINTS;

    @Option(names = "--max-internal-endpoints", paramLabel = "N",
            description = "Internal endpoints allowed per deployment (default: ${DEFAULT-VALUE}).")
    int maxInternalEndpoints = ValidationLimits.DEFAULT_MAX_INTERNAL_ENDPOINTS;

    @Option(names = "--limits-as-warnings", description = "Report breached limits as warnings, not errors "
            + "(like _CSRUN_SKIP_LIMIT_VALIDATION).")
    boolean limitsAsWarnings;

    @Option(names = "--warnings-as-errors", description = "Exit 1 when there are warnings too, like the cloud's "
            + "TreatWarningsAsError.")
    boolean warningsAsErrors;

    @Override
    public Integer call() {
        ValidationLimits limits = limits();
        ServiceModelLoader loader = new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(limits));
        LoadResult result = loader.load(csdef, cscfg);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(result.diagnostics()));
        } else {
            result.diagnostics().forEach(d -> out.println(d.format()));
            out.println(summary(result));
            certificateNote(result).ifPresent(spec.commandLine().getErr()::println);
        }
        out.flush();
        boolean failed = result.errorCount() > 0 || !result.ok() || (warningsAsErrors && result.warningCount() > 0);
        return failed ? ExitCodes.INVALID : ExitCodes.OK;
    }

    private ValidationLimits limits() {
        requirePositive("--max-roles", maxRoles);
        requirePositive("--max-instances", maxInstances);
        requirePositive("--max-input-endpoints", maxInputEndpoints);
        requirePositive("--max-internal-endpoints", maxInternalEndpoints);
        return new ValidationLimits(maxRoles, maxInputEndpoints, maxInternalEndpoints, maxInstances, limitsAsWarnings);
    }

    private void requirePositive(String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " must be at least 1, got " + value);
        }
    }

    /**
     * On stderr, so the findings stay what they are: the certificates a configuration names are checked against the
     * service's store only when it is deployed (DEPLOY001); validation offline has no store to look at.
     */
    static java.util.Optional<String> certificateNote(LoadResult result) {
        long count = result.configuration().map(c -> c.roles().stream().mapToLong(r -> r.certificates().size()).sum())
                .orElse(0L);
        if (count == 0 || result.definition().isEmpty()) {
            return java.util.Optional.empty();
        }
        String service = result.definition().get().name();
        return java.util.Optional.of("note: the configuration names " + plural(count, "certificate") + "; they are"
                + " checked against the certificate store of service '" + service + "' when it is deployed"
                + " (csemu certificates list " + service + ")");
    }

    /** {@code 2 errors, 1 warning}. */
    static String summary(LoadResult result) {
        List<String> parts = new ArrayList<>();
        parts.add(plural(result.errorCount(), "error"));
        parts.add(plural(result.warningCount(), "warning"));
        long notes = result.count(Severity.INFO);
        if (notes > 0) {
            parts.add(plural(notes, "note"));
        }
        return String.join(", ", parts);
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    static String toJson(List<Diagnostic> diagnostics) {
        List<Map<String, Object>> array = new ArrayList<>();
        for (Diagnostic d : diagnostics) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("file", d.file());
            o.put("line", d.line());
            o.put("column", d.column());
            o.put("severity", d.severity().label());
            o.put("code", d.code());
            o.put("message", d.message());
            o.put("fix", d.fix());
            array.add(o);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise diagnostics", e);
        }
    }
}
