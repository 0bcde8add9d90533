package org.csemu.core.parse;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.csemu.core.diag.Diagnostic;

/**
 * The outcome of parsing one file: the model when the file could be read and is valid against the schema, and
 * every diagnostic found on the way (all schema violations, not just the first).
 *
 * <p>The model is absent as soon as there is an error, so callers never see a half-built model. {@code readPastErrors}
 * is the model of a file whose errors lose only the faulty part (an unknown attribute, a misplaced element, a rule
 * the mapper checks): it exists so the cross-file rules can still report everything else in one run, and is never
 * deployed or packaged.
 */
public record ParseResult<T>(Optional<T> model, List<Diagnostic> diagnostics, Optional<T> readPastErrors) {

    public ParseResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(readPastErrors, "readPastErrors");
        diagnostics = List.copyOf(diagnostics);
    }

    public ParseResult(Optional<T> model, List<Diagnostic> diagnostics) {
        this(model, diagnostics, model);
    }

    /** The model to check the other file against: the valid model, or the one read past recoverable errors. */
    public Optional<T> checkable() {
        return model.isPresent() ? model : readPastErrors;
    }

    /** True when the model is present and no diagnostic is an error. */
    public boolean ok() {
        return model.isPresent() && diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }
}
