package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/** Every role of the configuration exists in the definition. */
final class UnknownRoleRule extends BaseRule {

    UnknownRoleRule() {
        super("SVC103", Severity.ERROR, "every cscfg role exists in the csdef");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        List<String> defined = context.definition().roles().stream().map(RoleDefinition::name).toList();
        for (RoleConfiguration role : context.config().roles()) {
            if (!defined.contains(role.name())) {
                findings.report(role.location(), "role '" + role.name() + "' is not defined in the definition"
                        + Names.didYouMean(role.name(), defined),
                        defined.isEmpty() ? "remove the role, or define it in the definition"
                                : "use the name of a defined role (" + Names.quotedList(defined)
                                        + "), or remove this <Role>");
            }
        }
    }
}
