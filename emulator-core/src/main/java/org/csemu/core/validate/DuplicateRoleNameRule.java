package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;

/** Role names are unique within the definition. */
final class DuplicateRoleNameRule extends BaseRule {

    DuplicateRoleNameRule() {
        super("CSDEF102", Severity.ERROR, "role names are unique in the definition");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        Map<String, RoleDefinition> seen = new HashMap<>();
        for (RoleDefinition role : context.definition().roles()) {
            RoleDefinition first = seen.putIfAbsent(role.name(), role);
            if (first != null) {
                findings.report(role.location(), "role '" + role.name() + "' is defined twice (first at "
                        + Locations.format(first.location()) + ")", "rename or remove one of the two roles");
            }
        }
    }
}
