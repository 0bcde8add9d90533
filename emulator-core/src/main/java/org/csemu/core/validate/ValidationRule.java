package org.csemu.core.validate;

import org.csemu.core.diag.Severity;

/**
 * One semantic check of a service model. Each rule has one job, a stable code (what CI pipelines match on) and one
 * severity, and reports through {@link Findings} so that code and severity cannot drift from what it declares.
 */
interface ValidationRule {

    /** Stable code, e.g. {@code SVC104}; its prefix matches {@link #scope()}. */
    String code();

    Severity severity();

    RuleScope scope();

    /** One line for the documentation and {@code --help}: what the rule checks. */
    String summary();

    /**
     * Reports every violation found. Called only when the files the scope needs are present: a
     * {@link RuleScope#DEFINITION} rule never looks at the configuration.
     */
    void check(ValidationContext context, Findings findings);
}
