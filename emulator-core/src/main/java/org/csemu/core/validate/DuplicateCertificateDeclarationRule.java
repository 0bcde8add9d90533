package org.csemu.core.validate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;

/** A role declares each certificate once, counting those its module imports declare. */
final class DuplicateCertificateDeclarationRule extends BaseRule {

    DuplicateCertificateDeclarationRule() {
        super("CSDEF123", Severity.ERROR, "a role declares each certificate once (module certificates included)");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            List<DeclaredName> certs = context.declaredCertificates(role);
            Map<String, DeclaredName> seen = new HashMap<>();
            for (DeclaredName c : certs) {
                DeclaredName first = seen.putIfAbsent(c.name(), c);
                if (first != null) {
                    DeclaredName explicit = c.implied() ? first : c;
                    DeclaredName other = explicit == c ? first : c;
                    findings.report(explicit.location(), "role '" + role.name() + "': certificate '" + c.name()
                            + "' is declared twice (also " + other.origin() + ")",
                            "remove the duplicate <Certificate name=\"" + c.name() + "\"/>");
                }
            }
        }
    }
}
