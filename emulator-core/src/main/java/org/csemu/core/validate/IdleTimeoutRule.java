package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SourceLocation;

/**
 * idleTimeoutInMinutes is 4..30 on input and instance input endpoints. 0 on an instance input endpoint means the
 * attribute was absent (the platform default, 4, applies).
 */
final class IdleTimeoutRule extends BaseRule {

    static final int MIN = 4;
    static final int MAX = 30;

    IdleTimeoutRule() {
        super("CSDEF116", Severity.ERROR, "idleTimeoutInMinutes is 4..30");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            role.endpoints().input().forEach(e -> check(findings, role, "input endpoint", e.name(),
                    e.idleTimeoutInMinutes(), e.location()));
            role.endpoints().instanceInput().stream().filter(e -> e.idleTimeoutInMinutes() != 0)
                    .forEach(e -> check(findings, role, "instance input endpoint", e.name(), e.idleTimeoutInMinutes(),
                            e.location()));
        }
    }

    private static void check(Findings findings, RoleDefinition role, String kind, String name, int minutes,
            SourceLocation at) {
        if (minutes < MIN || minutes > MAX) {
            findings.report(at, "role '" + role.name() + "': " + kind + " '" + name + "' has idleTimeoutInMinutes="
                    + minutes + "; it must be between " + MIN + " and " + MAX,
                    "set idleTimeoutInMinutes between 4 and 30, or omit it (default 4)");
        }
    }
}
