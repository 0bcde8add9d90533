package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SourceLocation;

/** Endpoint names are unique within a role, across the three endpoint kinds. */
final class DuplicateEndpointNameRule extends BaseRule {

    DuplicateEndpointNameRule() {
        super("CSDEF106", Severity.ERROR, "endpoint names are unique within a role");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            Map<String, SourceLocation> seen = new HashMap<>();
            role.endpoints().input().forEach(e -> visit(findings, role, seen, e.name(), e.location()));
            role.endpoints().internal().forEach(e -> visit(findings, role, seen, e.name(), e.location()));
            role.endpoints().instanceInput().forEach(e -> visit(findings, role, seen, e.name(), e.location()));
        }
    }

    private static void visit(Findings findings, RoleDefinition role, Map<String, SourceLocation> seen, String name,
            SourceLocation at) {
        SourceLocation first = seen.putIfAbsent(name, at);
        if (first != null) {
            findings.report(at, "role '" + role.name() + "': endpoint name '" + name + "' is used twice (first at "
                    + Locations.format(first) + ")", "give each endpoint of the role its own name");
        }
    }
}
