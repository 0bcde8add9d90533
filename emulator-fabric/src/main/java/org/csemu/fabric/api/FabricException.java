package org.csemu.fabric.api;

import java.util.List;
import java.util.Objects;
import org.csemu.core.diag.Diagnostic;

/**
 * A refusal the API turns into a JSON error: {@code code} is a stable machine-readable name (for example
 * {@code DeploymentNotFound}, {@code IllegalStateTransition}), {@code message} tells the user what to do.
 */
public final class FabricException extends RuntimeException {

    private final ErrorKind kind;
    private final String code;
    private final List<Diagnostic> diagnostics;

    public FabricException(ErrorKind kind, String code, String message) {
        this(kind, code, message, List.of(), null);
    }

    public FabricException(ErrorKind kind, String code, String message, List<Diagnostic> diagnostics, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.code = Objects.requireNonNull(code, "code");
        this.diagnostics = List.copyOf(diagnostics);
    }

    public static FabricException notFound(String what, String id) {
        return new FabricException(ErrorKind.NOT_FOUND, what + "NotFound", what.toLowerCase() + " '" + id + "' does not exist");
    }

    public static FabricException conflict(String code, String message) {
        return new FabricException(ErrorKind.CONFLICT, code, message);
    }

    public static FabricException validationFailed(String message, List<Diagnostic> diagnostics) {
        return new FabricException(ErrorKind.VALIDATION_FAILED, "ValidationFailed", message, diagnostics, null);
    }

    public ErrorKind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
