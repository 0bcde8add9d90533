package org.csemu.core.validate;

/** At most {@link ValidationLimits#maxRoles()} roles per deployment. */
final class RoleLimitRule extends LimitRule {

    RoleLimitRule(ValidationLimits limits) {
        super("CSDEF104", "at most 25 roles per deployment (overridable)", limits);
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var roles = context.definition().roles();
        int max = context.limits().maxRoles();
        if (roles.size() > max) {
            findings.report(roles.get(max).location(), "service '" + context.definition().name() + "' defines "
                    + roles.size() + " roles; the limit is " + max + " (role '" + roles.get(max).name()
                    + "' is the first beyond it)", "split the service " + override("max-roles"));
        }
    }
}
