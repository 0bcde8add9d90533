package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/** Every certificate the configuration gives is declared by the role (module certificates included). */
final class CertificateNotDeclaredRule extends BaseRule {

    CertificateNotDeclaredRule() {
        super("SVC107", Severity.ERROR, "every cscfg certificate is declared in the csdef");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (ValidationContext.RoleInBoth both : context.configuredRolesInBoth()) {
            RoleDefinition role = both.definition();
            RoleConfiguration cfg = both.configuration();
            List<String> declared = context.declaredCertificates(role).stream().map(DeclaredName::name).toList();
            for (RoleConfiguration.CertificateReference c : cfg.certificates()) {
                if (declared.contains(c.name()) || context.fromUnknownImportedModule(role, c.name())) {
                    continue;
                }
                var module = PluginModules.owning(c.name()).filter(m -> m.certificates().contains(c.name()));
                findings.report(c.location(), "role '" + role.name() + "': certificate '" + c.name()
                        + "' is not declared in the definition"
                        + module.map(m -> " (it belongs to the " + m.name() + " module, which the role does not import)")
                                .orElse(Names.didYouMean(c.name(), declared)),
                        module.map(m -> "add <Import moduleName=\"" + m.name() + "\"/> to role '" + role.name()
                                + "' in the definition, or remove the certificate")
                                .orElse("declare <Certificate name=\"" + c.name() + "\" storeLocation=\"LocalMachine\" "
                                        + "storeName=\"My\"/> in the <Certificates> of role '" + role.name()
                                        + "' in the definition, or remove it here"));
            }
        }
    }
}
