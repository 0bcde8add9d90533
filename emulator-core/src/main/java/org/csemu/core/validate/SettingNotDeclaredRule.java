package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/**
 * Every configured setting is declared by the role, explicitly or through a module import; the cloud rejects a
 * configuration with unknown settings.
 */
final class SettingNotDeclaredRule extends BaseRule {

    SettingNotDeclaredRule() {
        super("SVC105", Severity.ERROR, "every cscfg setting is declared in the csdef (module-implied included)");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (ValidationContext.RoleInBoth both : context.configuredRolesInBoth()) {
            RoleDefinition role = both.definition();
            RoleConfiguration cfg = both.configuration();
            List<String> declared = context.declaredSettings(role).stream().map(DeclaredName::name).toList();
            for (RoleConfiguration.SettingValue s : cfg.settings()) {
                if (declared.contains(s.name()) || context.fromUnknownImportedModule(role, s.name())) {
                    continue;
                }
                var module = PluginModules.owning(s.name());
                boolean imported = module.isPresent() && role.imports().stream()
                        .anyMatch(i -> i.moduleName().equals(module.get().name()));
                if (imported) {
                    List<String> real = new java.util.ArrayList<>(module.get().requiredSettings());
                    real.addAll(module.get().optionalSettings());
                    findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name() + "' is not a setting of the "
                            + module.get().name() + " module, which the role imports",
                            "use one of the module's settings (" + String.join(", ", real) + "; names are case-sensitive), "
                                    + "or remove the setting");
                    continue;
                }
                String fix = module.isPresent()
                        ? "add <Import moduleName=\"" + module.get().name() + "\"/> to the <Imports> of role '"
                                + role.name() + "' in the definition, or remove the setting"
                        : "declare <Setting name=\"" + s.name() + "\"/> in the <ConfigurationSettings> of role '"
                                + role.name() + "' in the definition, or remove it here";
                String why = module.isPresent() ? " (it belongs to the " + module.get().name()
                        + " module, which the role does not import)" : Names.didYouMean(s.name(), declared);
                findings.report(s.location(), "role '" + role.name() + "': setting '" + s.name()
                        + "' is not declared in the definition" + why, fix);
            }
        }
    }
}
