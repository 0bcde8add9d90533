package org.csemu.core.validate;

import org.csemu.core.diag.Severity;

/**
 * A compute-emulator limit: an error by default, a warning with {@link ValidationLimits#limitsAsWarnings()} (the
 * equivalent of {@code _CSRUN_SKIP_LIMIT_VALIDATION}).
 */
abstract class LimitRule extends BaseRule {

    static final String OVERRIDE_HINT = "or raise the limit (csemu validate --%s N), or report it as a warning "
            + "(--limits-as-warnings)";

    private final boolean asWarning;

    LimitRule(String code, String summary, ValidationLimits limits) {
        super(code, Severity.ERROR, summary);
        this.asWarning = limits.limitsAsWarnings();
    }

    @Override
    public final Severity severity() {
        return asWarning ? Severity.WARNING : Severity.ERROR;
    }

    static String override(String option) {
        return String.format(OVERRIDE_HINT, option);
    }
}
