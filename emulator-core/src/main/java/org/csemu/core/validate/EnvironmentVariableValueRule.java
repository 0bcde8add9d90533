package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;

/** An Environment/Variable has exactly one of {@code value} and a {@code RoleInstanceValue} child. */
final class EnvironmentVariableValueRule extends BaseRule {

    EnvironmentVariableValueRule() {
        super("CSDEF118", Severity.ERROR, "an environment variable has exactly one of value and RoleInstanceValue");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            for (ScopedVariable sv : ScopedVariable.of(role)) {
                var v = sv.variable();
                boolean hasValue = v.value() != null;
                boolean hasXPath = v.roleInstanceValueXPath() != null;
                String at = "role '" + role.name() + "': " + sv.where() + " variable '" + v.name() + "'";
                if (hasValue && hasXPath) {
                    findings.report(v.location(), at + " has both a value and a RoleInstanceValue",
                            "keep either value=\"...\" or the <RoleInstanceValue xpath=\"...\"/> child, not both");
                } else if (!hasValue && !hasXPath) {
                    findings.report(v.location(), at + " has neither a value nor a RoleInstanceValue",
                            "add value=\"...\" or a <RoleInstanceValue xpath=\"...\"/> child");
                }
            }
        }
    }
}
