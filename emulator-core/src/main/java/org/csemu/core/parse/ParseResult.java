package org.csemu.core.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.csemu.core.diag.Diagnostic;

/**
 * The outcome of parsing one file: the model when the file could be read and is valid against the schema, and
 * every diagnostic found on the way (all schema violations, not just the first).
 *
 * <p>The model is absent as soon as there is an error, so callers never see a half-built model.
 */
public record ParseResult<T>(Optional<T> model, List<Diagnostic> diagnostics) {

    public ParseResult {
        Objects.requireNonNull(model, "model");
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when the model is present and no diagnostic is an error. */
    public boolean ok() {
        return model.isPresent() && diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
