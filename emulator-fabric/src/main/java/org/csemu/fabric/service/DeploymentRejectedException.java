package org.csemu.fabric.service;

import java.util.List;
import org.csemu.core.diag.Diagnostic;

/**
 * A deployment request that cannot go ahead: invalid definition or configuration (with every diagnostic, each
 * {@code file:line:col}), an unreadable package, an unknown image, or no free port. Nothing was created when it is
 * thrown.
 */
public class DeploymentRejectedException extends Exception {
    private final List<Diagnostic> diagnostics;

    public DeploymentRejectedException(String message) {
        this(message, List.of(), null);
    }

    public DeploymentRejectedException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    public DeploymentRejectedException(String message, List<Diagnostic> diagnostics, Throwable cause) {
        super(message, cause);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every finding of parsing and validation, errors and warnings, in display order. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
