package org.csemu.fabric.api;

import java.util.List;

/**
 * The JSON error body every API refusal carries, and the error of a failed operation.
 *
 * @param code stable machine-readable name
 * @param message what went wrong and what to do
 * @param diagnostics the service model findings, when the refusal is a validation failure
 */
public record ErrorView(String code, String message, List<DiagnosticView> diagnostics) {
    public ErrorView {
        diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    public static ErrorView of(FabricException e) {
        return new ErrorView(e.code(), e.getMessage(), e.diagnostics().stream().map(DiagnosticView::of).toList());
    }
}
