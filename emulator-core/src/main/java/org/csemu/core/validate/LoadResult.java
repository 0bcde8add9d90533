package org.csemu.core.validate;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;

/**
 * The outcome of loading a service: the models that parsed, and every diagnostic of parsing and validation in the
 * order they are shown (definition first, by line). A model is present whenever its file parsed, even when
 * validation then found errors, so tools can still display it; {@link #ok()} says whether it may be deployed.
 */
public record LoadResult(Optional<ServiceDefinition> definition, Optional<ServiceConfiguration> configuration,
        List<Diagnostic> diagnostics) {

    public LoadResult {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(configuration, "configuration");
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when both files parsed and no diagnostic is an error; warnings never fail. */
    public boolean ok() {
        return definition.isPresent() && configuration.isPresent() && errorCount() == 0;
    }

    public long errorCount() {
        return count(Severity.ERROR);
    }

    public long warningCount() {
        return count(Severity.WARNING);
    }

    public long count(Severity severity) {
        return diagnostics.stream().filter(d -> d.severity() == severity).count();
    }
}
