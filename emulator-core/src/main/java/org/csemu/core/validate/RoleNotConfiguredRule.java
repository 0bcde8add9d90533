package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;

/** Every role of the definition is configured (it needs at least its instance count). */
final class RoleNotConfiguredRule extends BaseRule {

    RoleNotConfiguredRule() {
        super("SVC102", Severity.ERROR, "every csdef role is configured in the cscfg");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var cfg = context.config();
        for (RoleDefinition role : context.definition().roles()) {
            if (cfg.role(role.name()).isEmpty()) {
                findings.report(cfg.location(), "role '" + role.name() + "' (" + Locations.format(role.location())
                        + ") is not configured", "add <Role name=\"" + role.name()
                        + "\"><Instances count=\"1\"/></Role> (with its settings) to the configuration");
            }
        }
    }
}
