package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** The configuration gives each certificate of a role once. */
final class DuplicateCertificateReferenceRule extends BaseRule {

    DuplicateCertificateReferenceRule() {
        super("CSCFG109", Severity.ERROR, "a role's certificate is given once in the configuration");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            Map<String, RoleConfiguration.CertificateReference> seen = new HashMap<>();
            for (RoleConfiguration.CertificateReference c : role.certificates()) {
                RoleConfiguration.CertificateReference first = seen.putIfAbsent(c.name(), c);
                if (first != null) {
                    findings.report(c.location(), "role '" + role.name() + "': certificate '" + c.name()
                            + "' is given twice (first at " + Locations.format(first.location()) + ")",
                            "keep one <Certificate name=\"" + c.name() + "\" .../> with the right thumbprint");
                }
            }
        }
    }
}
