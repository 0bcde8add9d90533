package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.SourceLocation;

/** The reporter a rule writes to: stamps every finding with the rule's code and severity. */
final class Findings {

    private final ValidationRule rule;
    private final List<Diagnostic> sink;

    Findings(ValidationRule rule, List<Diagnostic> sink) {
        this.rule = rule;
        this.sink = sink;
    }

    /**
     * @param at      the element at fault (file:line:col); {@link SourceLocation#UNKNOWN} when a record has none
     * @param message what is wrong, naming the role, setting or endpoint
     * @param fix     what to do about it
     */
    void report(SourceLocation at, String message, String fix) {
        SourceLocation where = at == null ? SourceLocation.UNKNOWN : at;
        sink.add(new Diagnostic(where.file(), where.line(), where.column(), rule.severity(), rule.code(), message, fix));
    }
}
