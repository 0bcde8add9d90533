package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.TrafficRule;

/**
 * NetworkTrafficRules refer to real things: each RoleEndpoint names a role and one of its internal endpoints (the
 * rules only govern instance-to-instance traffic), each FromRole names a role.
 */
final class TrafficRuleReferenceRule extends BaseRule {

    TrafficRuleReferenceRule() {
        super("CSDEF112", Severity.ERROR, "NetworkTrafficRules name existing roles and internal endpoints");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        var def = context.definition();
        List<String> roles = def.roles().stream().map(RoleDefinition::name).toList();
        for (TrafficRule rule : def.networkTrafficRules()) {
            for (TrafficRule.RoleEndpointRef dest : rule.destinations()) {
                var role = def.role(dest.roleName());
                if (role.isEmpty()) {
                    findings.report(dest.location(), "NetworkTrafficRules: RoleEndpoint names role '" + dest.roleName()
                            + "', which the service does not define" + Names.didYouMean(dest.roleName(), roles),
                            "use the name of one of the roles: " + Names.quotedList(roles));
                    continue;
                }
                List<String> internal = role.get().endpoints().internal().stream().map(InternalEndpoint::name).toList();
                if (!internal.contains(dest.endpointName())) {
                    boolean other = role.get().endpoints().input().stream().anyMatch(e -> e.name().equals(dest.endpointName()))
                            || role.get().endpoints().instanceInput().stream().anyMatch(e -> e.name().equals(dest.endpointName()));
                    findings.report(dest.location(), "NetworkTrafficRules: RoleEndpoint '" + dest.endpointName()
                            + "' of role '" + dest.roleName() + "' "
                            + (other ? "is not an internal endpoint; traffic rules govern internal endpoints only"
                                    : "does not exist" + Names.didYouMean(dest.endpointName(), internal)),
                            internal.isEmpty()
                                    ? "declare an <InternalEndpoint> in role '" + dest.roleName() + "' or remove the rule"
                                    : "use one of the role's internal endpoints: " + Names.quotedList(internal));
                }
            }
            for (TrafficRule.RoleRef from : rule.fromRoles()) {
                if (def.role(from.roleName()).isEmpty()) {
                    findings.report(from.location(), "NetworkTrafficRules: FromRole names role '" + from.roleName()
                            + "', which the service does not define" + Names.didYouMean(from.roleName(), roles),
                            "use the name of one of the roles: " + Names.quotedList(roles));
                }
            }
        }
    }
}
