package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SourceLocation;

/**
 * At most {@link ValidationLimits#maxInputEndpoints()} input endpoints (InstanceInputEndpoints count as input: they
 * are VIP ports too) and {@link ValidationLimits#maxInternalEndpoints()} internal endpoints per deployment.
 */
final class EndpointLimitRule extends LimitRule {

    EndpointLimitRule(ValidationLimits limits) {
        super("CSDEF105", "at most 25 input and 25 internal endpoints per deployment (overridable)", limits);
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        List<SourceLocation> input = new ArrayList<>();
        List<SourceLocation> internal = new ArrayList<>();
        for (RoleDefinition role : context.definition().roles()) {
            role.endpoints().input().forEach(e -> input.add(e.location()));
            role.endpoints().instanceInput().forEach(e -> input.add(e.location()));
            role.endpoints().internal().forEach(e -> internal.add(e.location()));
        }
        report(findings, "input (InputEndpoint and InstanceInputEndpoint)", input, context.limits().maxInputEndpoints(),
                "max-input-endpoints");
        report(findings, "internal", internal, context.limits().maxInternalEndpoints(), "max-internal-endpoints");
    }

    private static void report(Findings findings, String kind, List<SourceLocation> all, int max, String option) {
        if (all.size() > max) {
            findings.report(all.get(max), "the service declares " + all.size() + " " + kind
                    + " endpoints; the limit is " + max + " per deployment (this is the first beyond it)",
                    "remove endpoints " + override(option));
        }
    }
}
