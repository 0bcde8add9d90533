package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleDefinition;

/** A module is imported once per role; a second import adds nothing. */
final class DuplicateImportRule extends BaseRule {

    DuplicateImportRule() {
        super("CSDEF125", Severity.WARNING, "a role imports each module once");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            Map<String, ModuleImport> seen = new HashMap<>();
            for (ModuleImport imp : role.imports()) {
                ModuleImport first = seen.putIfAbsent(imp.moduleName(), imp);
                if (first != null) {
                    findings.report(imp.location(), "role '" + role.name() + "' imports module '" + imp.moduleName()
                            + "' twice (first at " + Locations.format(first.location()) + ")",
                            "remove the second <Import moduleName=\"" + imp.moduleName() + "\"/>");
                }
            }
        }
    }
}
