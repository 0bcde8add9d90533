package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** A setting given twice in a role with different values: which one the role sees is undefined. */
final class ConflictingSettingValuesRule extends BaseRule {

    ConflictingSettingValuesRule() {
        super("CSCFG107", Severity.ERROR, "a setting given twice in a role has one value");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            for (SettingRepeat r : SettingRepeat.in(role)) {
                RoleConfiguration.SettingValue first = r.first();
                RoleConfiguration.SettingValue s = r.again();
                if (!r.sameValue()) {
                    findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name()
                            + "' is given twice with different values (first at " + Locations.format(first.location())
                            + ")", "keep one <Setting name=\"" + s.name() + "\"/> with the value you mean");
                }
            }
        }
    }
}
