package org.csemu.core.validate;

import java.util.Set;
import java.util.stream.Collectors;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;

/** Every certificate a role declares (module certificates included) has a thumbprint in the configuration. */
final class CertificateNotConfiguredRule extends BaseRule {

    CertificateNotConfiguredRule() {
        super("SVC106", Severity.ERROR, "every declared certificate has a thumbprint in the cscfg");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (ValidationContext.RoleInBoth both : context.definedRolesInBoth()) {
            RoleDefinition role = both.definition();
            RoleConfiguration cfg = both.configuration();
            Set<String> given = cfg.certificates().stream().map(RoleConfiguration.CertificateReference::name)
                    .collect(Collectors.toSet());
            for (DeclaredName declared : context.declaredCertificates(role)) {
                if (!given.contains(declared.name())) {
                    findings.report(cfg.location(), "role '" + role.name() + "': certificate '" + declared.name()
                            + "' is " + declared.origin() + " but has no thumbprint in the configuration",
                            "add <Certificate name=\"" + declared.name() + "\" thumbprint=\"<40 hex digits>\" "
                                    + "thumbprintAlgorithm=\"sha1\"/> to the role's <Certificates> in the configuration");
                }
            }
        }
    }
}
