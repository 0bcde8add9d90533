package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.SettingDeclaration;

/**
 * A setting declared explicitly that an imported module already declares is redundant: harmless here, but the
 * declaration silently stops mattering if the import is removed.
 */
final class SettingShadowsModuleRule extends BaseRule {

    SettingShadowsModuleRule() {
        super("CSDEF122", Severity.WARNING, "a setting is not declared both explicitly and by an imported module");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            for (PluginModule module : context.importedModules(role)) {
                for (SettingDeclaration s : role.settings()) {
                    if (module.declaresSetting(s.name())) {
                        findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name()
                                + "' is also declared by the " + module.name() + " module import",
                                "remove the explicit <Setting name=\"" + s.name() + "\"/>; the import declares it");
                    }
                }
            }
        }
    }
}
