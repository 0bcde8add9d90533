package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** Instances@count is at least 1. */
final class InstanceCountRule extends BaseRule {

    InstanceCountRule() {
        super("CSCFG101", Severity.ERROR, "Instances@count is at least 1");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            if (role.instanceCount() < 1) {
                findings.report(role.instancesLocation(), "role '" + role.name() + "' has Instances count="
                        + role.instanceCount() + "; a role needs at least one instance",
                        "set <Instances count=\"1\"/> or more, or remove the role from both files");
            }
        }
    }
}
