package org.csemu.core.validate;

import org.csemu.core.diag.Severity;

/** Holds what every rule declares, so each rule class contains only its check. */
abstract class BaseRule implements ValidationRule {

    private final String code;
    private final Severity severity;
    private final String summary;

    BaseRule(String code, Severity severity, String summary) {
        this.code = code;
        this.severity = severity;
        this.summary = summary;
    }

    @Override
    public final String code() {
        return code;
    }

    @Override
    public Severity severity() {
        return severity;
    }

    @Override
    public final RuleScope scope() {
        for (RuleScope scope : RuleScope.values()) {
            if (code.startsWith(scope.codePrefix())) {
                return scope;
            }
        }
        throw new IllegalStateException("rule code " + code + " has no known prefix");
    }

    @Override
    public final String summary() {
        return summary;
    }

    @Override
    public String toString() {
        return code + " " + getClass().getSimpleName();
    }
}
