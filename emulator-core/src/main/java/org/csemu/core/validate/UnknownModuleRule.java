package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleDefinition;

/**
 * An imported module csemu does not know: its implied settings cannot be checked, so any configured setting under
 * its prefix is accepted. Most often a misspelling.
 */
final class UnknownModuleRule extends BaseRule {

    UnknownModuleRule() {
        super("CSDEF124", Severity.WARNING, "imported modules are known (Diagnostics, RemoteAccess, ...)");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            for (ModuleImport imp : context.unknownImports(role)) {
                String suggestion = PluginModules.byNameIgnoringCase(imp.moduleName())
                        .map(m -> " (did you mean '" + m.name() + "'?)")
                        .orElse(Names.didYouMean(imp.moduleName(),
                                PluginModules.all().stream().map(PluginModule::name).toList()));
                findings.report(imp.location(), "role '" + role.name() + "' imports module '" + imp.moduleName()
                        + "', which csemu does not know" + suggestion + "; its settings are accepted unchecked",
                        "use one of " + PluginModules.knownNames());
            }
        }
    }
}
