package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** The configuration configures each role once. */
final class DuplicateRoleConfigurationRule extends BaseRule {

    DuplicateRoleConfigurationRule() {
        super("CSCFG106", Severity.ERROR, "the configuration configures each role once");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        Map<String, RoleConfiguration> seen = new HashMap<>();
        for (RoleConfiguration role : context.config().roles()) {
            RoleConfiguration first = seen.putIfAbsent(role.name(), role);
            if (first != null) {
                findings.report(role.location(), "role '" + role.name() + "' is configured twice (first at "
                        + Locations.format(first.location()) + ")", "merge the two <Role name=\"" + role.name()
                        + "\"> elements into one");
            }
        }
    }
}
