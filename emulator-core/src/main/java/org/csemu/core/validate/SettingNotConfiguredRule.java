package org.csemu.core.validate;

import java.util.Set;
import java.util.stream.Collectors;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/**
 * Every setting a role declares, explicitly or through a module import, has a value in the configuration; the
 * role would otherwise fail when it reads it.
 */
final class SettingNotConfiguredRule extends BaseRule {

    SettingNotConfiguredRule() {
        super("SVC104", Severity.ERROR, "every declared setting (module-implied included) has a value in the cscfg");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (ValidationContext.RoleInBoth both : context.definedRolesInBoth()) {
            RoleDefinition role = both.definition();
            RoleConfiguration cfg = both.configuration();
            Set<String> given = cfg.settings().stream().map(RoleConfiguration.SettingValue::name).collect(Collectors.toSet());
            for (DeclaredName declared : context.declaredSettings(role)) {
                if (declared.required() && !given.contains(declared.name())) {
                    findings.report(cfg.location(), "role '" + role.name() + "': setting '" + declared.name() + "' is "
                            + declared.origin() + " but has no value in the configuration",
                            "add <Setting name=\"" + declared.name() + "\" value=\"...\"/> to the role's "
                                    + "<ConfigurationSettings> in the configuration");
                }
            }
        }
    }
}
