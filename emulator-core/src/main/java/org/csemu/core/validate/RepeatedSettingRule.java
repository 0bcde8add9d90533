package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** A setting given twice in a role with the same value: harmless, but a copy-paste leftover. */
final class RepeatedSettingRule extends BaseRule {

    RepeatedSettingRule() {
        super("CSCFG108", Severity.WARNING, "a setting is given once per role");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            for (SettingRepeat r : SettingRepeat.in(role)) {
                RoleConfiguration.SettingValue first = r.first();
                RoleConfiguration.SettingValue s = r.again();
                if (r.sameValue()) {
                    findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name()
                            + "' is given twice with the same value (first at " + Locations.format(first.location()) + ")",
                            "remove the second <Setting name=\"" + s.name() + "\"/>");
                }
            }
        }
    }
}
