package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;

/**
 * Checks a parsed service definition against a configuration the way the cloud does, and stricter where the cloud's
 * own errors are poor. The parser guarantees well-formed, schema-shaped records; this class checks what a schema
 * cannot: names that must match across files, references, ranges, limits. Every finding names the element at fault
 * (file:line:col) and says how to fix it. Warnings never fail a deployment; errors always do.
 *
 * <p>Stateless and thread-safe: one instance can validate many services concurrently.
 */
public final class ServiceModelValidator {

    private final ValidationLimits limits;
    private final List<ValidationRule> rules;

    public ServiceModelValidator(ValidationLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.rules = ValidationRules.all(limits);
    }

    /** All rules: definition, configuration and cross-file. Diagnostics are sorted by file, line, column. */
    public List<Diagnostic> validate(ServiceDefinition definition, ServiceConfiguration configuration) {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(configuration, "configuration");
        return run(new ValidationContext(definition, configuration, limits), false);
    }

    /** The rules that need only the definition (CSDEF codes): for a package built without a configuration. */
    public List<Diagnostic> validateDefinition(ServiceDefinition definition) {
        Objects.requireNonNull(definition, "definition");
        return run(new ValidationContext(definition, null, limits), true);
    }

    private List<Diagnostic> run(ValidationContext context, boolean definitionOnly) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        for (ValidationRule rule : rules) {
            if (definitionOnly && rule.scope() != RuleScope.DEFINITION) {
                continue;
            }
            rule.check(context, new Findings(rule, diagnostics));
        }
        diagnostics.sort(order(context));
        return List.copyOf(diagnostics);
    }

    private static Comparator<Diagnostic> order(ValidationContext context) {
        return DiagnosticOrder.definitionFirst(context.definition().location().file(),
                context.configuration().map(c -> c.location().file()).orElse(null));
    }

    /** The registered rules, for documentation and tests. */
    List<ValidationRule> rules() {
        return rules;
    }
}
