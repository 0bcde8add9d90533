package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SettingDeclaration;

/** A role declares each setting once. */
final class DuplicateSettingDeclarationRule extends BaseRule {

    DuplicateSettingDeclarationRule() {
        super("CSDEF121", Severity.ERROR, "a role declares each setting once");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            Map<String, SettingDeclaration> seen = new HashMap<>();
            for (SettingDeclaration s : role.settings()) {
                SettingDeclaration first = seen.putIfAbsent(s.name(), s);
                if (first != null) {
                    findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name()
                            + "' is declared twice (first at " + Locations.format(first.location()) + ")",
                            "remove the second <Setting name=\"" + s.name() + "\"/>");
                }
            }
        }
    }
}
