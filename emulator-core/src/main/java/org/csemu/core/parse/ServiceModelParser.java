package org.csemu.core.parse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;

/**
 * Reads .csdef and .cscfg files into the immutable model, securely and with precise diagnostics.
 *
 * <p>Why it exists: service models come from anywhere (packages, repositories, users), so parsing must be safe by
 * construction (no DTDs, no external entities, no XInclude, explicit limits, size checked before reading) and every
 * mistake must be reported with file:line:col, in words, with a fix, all of them at once. Schema violations get
 * codes {@code CSDEF0nn}/{@code CSCFG0nn}, XML-level problems {@code XML0nn} (see docs/diagnostics.md).
 *
 * <p>Thread-safe and cheap to create: the compiled schemas and JAXB contexts are shared per JVM, and each thread
 * reuses one hardened reader, schema validator and unmarshaller per document kind ({@link ParsePipeline}) for every
 * parser instance it runs, with this parser's {@link ParserLimits} applied to each parse.
 */
public final class ServiceModelParser {

    private final ParserLimits limits;
    private final SecureDocumentReader reader;

    public ServiceModelParser() {
        this(ParserLimits.defaults());
    }

    public ServiceModelParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reader = new SecureDocumentReader(limits);
    }

    public ParserLimits limits() {
        return limits;
    }

    public ParseResult<ServiceDefinition> parseDefinition(Path file) {
        return parseFile(file, DocumentKind.DEFINITION, this::parseDefinition);
    }

    public ParseResult<ServiceConfiguration> parseConfiguration(Path file) {
        return parseFile(file, DocumentKind.CONFIGURATION, this::parseConfiguration);
    }

    /** A definition held in memory, e.g. read from a package; {@code displayName} is used in diagnostics. */
    public ParseResult<ServiceDefinition> parseDefinition(String displayName, byte[] content) {
        return parse(displayName, content, DocumentKind.DEFINITION,
                (context, root) -> new DefinitionMapper(context).map((org.csemu.schemas.csdef.ServiceDefinition) root));
    }

    /** A configuration held in memory; {@code displayName} is used in diagnostics. */
    public ParseResult<ServiceConfiguration> parseConfiguration(String displayName, byte[] content) {
        return parse(displayName, content, DocumentKind.CONFIGURATION,
                (context, root) -> new ConfigurationMapper(context).map((org.csemu.schemas.cscfg.ServiceConfiguration) root));
    }

    private <T> ParseResult<T> parse(String displayName, byte[] content, DocumentKind kind,
                                     BiFunction<MappingContext, Object, T> mapper) {
        Objects.requireNonNull(content, "content");
        String file = displayName == null ? "<unknown>" : displayName;
        SecureDocumentReader.Outcome outcome = reader.read(kind, file, content);
        if (outcome.root() == null) {
            return new ParseResult<>(Optional.empty(), outcome.diagnostics());
        }
        MappingContext context = new MappingContext(file, kind);
        T model;
        try {
            model = mapper.apply(context, outcome.root());
        } catch (RuntimeException e) {
            if (!outcome.recovered()) {
                throw e;
            }
            // read past an error, the document may lack a part the schema requires (an <EntryPoint> whose only
            // child was of the wrong role type): then there is no model to check the other file against
            return new ParseResult<>(Optional.empty(), outcome.diagnostics());
        }
        List<Diagnostic> diagnostics = new ArrayList<>(outcome.diagnostics());
        diagnostics.addAll(context.diagnostics());
        boolean failed = outcome.recovered() || diagnostics.stream().anyMatch(Diagnostic::isError);
        return new ParseResult<>(failed ? Optional.empty() : Optional.of(model), diagnostics, Optional.of(model));
    }

    private <T> ParseResult<T> parseFile(Path file, DocumentKind kind, BiFunction<String, byte[], ParseResult<T>> parser) {
        Objects.requireNonNull(file, "file");
        String name = file.toString();
        try {
            if (Files.isDirectory(file)) {
                return unreadable(name, "it is a directory", "pass the " + kind.description() + " file itself");
            }
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                return new ParseResult<>(Optional.empty(), List.of(reader.tooLarge(name, size)));
            }
            byte[] content;
            try (InputStream in = Files.newInputStream(file)) {
                // the file may grow between size() and here: never read more than the limit allows
                content = in.readNBytes((int) limits.maxFileBytes() + 1);
            }
            if (content.length > limits.maxFileBytes()) {
                return new ParseResult<>(Optional.empty(), List.of(reader.tooLarge(name, content.length)));
            }
            return parser.apply(name, content);
        } catch (NoSuchFileException e) {
            return unreadable(name, "it does not exist", "check the path");
        } catch (IOException | SecurityException e) {
            return unreadable(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(),
                    "check that the file exists and is readable");
        }
    }

    private static <T> ParseResult<T> unreadable(String file, String why, String fix) {
        return new ParseResult<>(Optional.empty(),
                List.of(new Diagnostic(file, 0, 0, Severity.ERROR, XmlCodes.UNREADABLE, "cannot read the file: " + why, fix)));
    }
}
