package org.csemu.core.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.parse.ParseResult;
import org.csemu.core.parse.ServiceModelParser;

/**
 * Parses a definition and a configuration and validates one against the other: the single call the CLI, the
 * packager and the fabric use, so they all report the same findings for the same files.
 *
 * <p>Both files are always parsed, so one run reports the problems of both. The rules run on every file that could be
 * read, also past recoverable schema errors ({@link ParseResult#readPastErrors}): a misspelt attribute in the
 * configuration does not hide a setting it lacks. When only the definition can be read, its definition-only rules
 * still run. The loaded models are present only when their file has no error.
 */
public final class ServiceModelLoader {

    private final ServiceModelParser parser;
    private final ServiceModelValidator validator;

    public ServiceModelLoader(ServiceModelParser parser, ServiceModelValidator validator) {
        this.parser = Objects.requireNonNull(parser, "parser");
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    public LoadResult load(Path csdef, Path cscfg) {
        return combine(parser.parseDefinition(csdef), parser.parseConfiguration(cscfg), csdef.toString(), cscfg.toString());
    }

    /** Files held in memory (e.g. read from a package); the names are used in diagnostics. */
    public LoadResult load(String csdefName, byte[] csdef, String cscfgName, byte[] cscfg) {
        return combine(parser.parseDefinition(csdefName, csdef), parser.parseConfiguration(cscfgName, cscfg),
                csdefName, cscfgName);
    }

    /** A definition alone (packaging without a configuration): parse it and run the definition-only rules. */
    public LoadResult loadDefinition(Path csdef) {
        ParseResult<ServiceDefinition> parsed = parser.parseDefinition(csdef);
        List<Diagnostic> all = new ArrayList<>(parsed.diagnostics());
        parsed.checkable().ifPresent(def -> all.addAll(validator.validateDefinition(def)));
        all.sort(DiagnosticOrder.definitionFirst(csdef.toString(), null));
        return new LoadResult(parsed.model(), Optional.empty(), all);
    }

    private LoadResult combine(ParseResult<ServiceDefinition> definition, ParseResult<ServiceConfiguration> configuration,
            String definitionName, String configurationName) {
        List<Diagnostic> all = new ArrayList<>(definition.diagnostics());
        all.addAll(configuration.diagnostics());
        Optional<ServiceDefinition> def = definition.model().filter(m -> definition.ok());
        Optional<ServiceConfiguration> cfg = configuration.model().filter(m -> configuration.ok());
        // the rules run on everything that could be read, also past a schema error elsewhere: one run reports all
        Optional<ServiceDefinition> checkDef = definition.checkable();
        Optional<ServiceConfiguration> checkCfg = configuration.checkable();
        if (checkDef.isPresent() && checkCfg.isPresent()) {
            all.addAll(validator.validate(checkDef.get(), checkCfg.get()));
        } else if (checkDef.isPresent()) {
            all.addAll(validator.validateDefinition(checkDef.get()));
        }
        all.sort(DiagnosticOrder.definitionFirst(definitionName, configurationName));
        return new LoadResult(def, cfg, all);
    }
}
