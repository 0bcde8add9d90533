package org.csemu.core.validate;

import org.csemu.core.model.RoleConfiguration;

/** At most {@link ValidationLimits#maxInstances()} role instances per deployment. */
final class InstanceLimitRule extends LimitRule {

    InstanceLimitRule(ValidationLimits limits) {
        super("CSCFG102", "at most 50 role instances per deployment (overridable)", limits);
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        long total = 0;
        int max = context.limits().maxInstances();
        RoleConfiguration crossing = null;
        for (RoleConfiguration role : context.config().roles()) {
            total += Math.max(0, role.instanceCount());
            if (crossing == null && total > max) {
                crossing = role;
            }
        }
        if (crossing != null) {
            findings.report(crossing.instancesLocation(), "the configuration asks for " + total
                    + " role instances in total; the limit is " + max + " per deployment (role '" + crossing.name()
                    + "' crosses it)", "lower the Instances counts " + override("max-instances"));
        }
    }
}
