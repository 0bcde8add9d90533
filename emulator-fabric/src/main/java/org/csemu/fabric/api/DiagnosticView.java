package org.csemu.fabric.api;

import org.csemu.core.diag.Diagnostic;

/** The JSON shape of a {@link Diagnostic} (severity as its lower-case label). */
public record DiagnosticView(String file, int line, int column, String severity, String code, String message, String fix) {

    public static DiagnosticView of(Diagnostic d) {
        return new DiagnosticView(d.file(), d.line(), d.column(), d.severity().label(), d.code(), d.message(), d.fix());
    }
}
