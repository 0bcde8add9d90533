package org.csemu.core.validate;

import org.csemu.core.diag.Severity;

/** A service has at least one role. */
final class NoRolesRule extends BaseRule {

    NoRolesRule() {
        super("CSDEF103", Severity.ERROR, "the definition has at least one role");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        if (context.definition().roles().isEmpty()) {
            findings.report(context.definition().location(),
                    "service '" + context.definition().name() + "' defines no role",
                    "add a <WebRole> or <WorkerRole> to the definition");
        }
    }
}
