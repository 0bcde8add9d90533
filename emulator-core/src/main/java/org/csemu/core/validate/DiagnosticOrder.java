package org.csemu.core.validate;

import java.util.Comparator;
import org.csemu.core.diag.Diagnostic;

/** The order diagnostics are shown in: the definition's first, then the configuration's; by line and column. */
final class DiagnosticOrder {

    private DiagnosticOrder() {
    }

    static Comparator<Diagnostic> definitionFirst(String definitionFile, String configurationFile) {
        Comparator<Diagnostic> byFileRank = Comparator.comparingInt(d -> d.file().equals(definitionFile) ? 0
                : d.file().equals(configurationFile) ? 1 : 2);
        return byFileRank.thenComparing(Diagnostic::file)
                .thenComparingInt(Diagnostic::line)
                .thenComparingInt(Diagnostic::column)
                .thenComparing(Diagnostic::code)
                .thenComparing(Diagnostic::message);
    }
}
