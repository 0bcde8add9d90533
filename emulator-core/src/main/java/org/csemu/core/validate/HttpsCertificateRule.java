package org.csemu.core.validate;

import java.util.List;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;

/**
 * An https input endpoint names its SSL certificate, which must be one of the role's Certificates; no other
 * protocol takes a certificate.
 */
final class HttpsCertificateRule extends BaseRule {

    HttpsCertificateRule() {
        super("CSDEF109", Severity.ERROR, "https endpoints name a role certificate; other protocols name none");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            List<String> certs = role.certificates().stream().map(CertificateDeclaration::name).toList();
            for (InputEndpoint e : role.endpoints().input()) {
                String at = "role '" + role.name() + "': input endpoint '" + e.name() + "'";
                boolean https = e.protocol() == Protocol.HTTPS;
                if (https && isBlank(e.certificate())) {
                    findings.report(e.location(), at + " uses https but names no certificate",
                            "add certificate=\"<name>\" naming a <Certificate> of the role's <Certificates>");
                } else if (https && !certs.contains(e.certificate())) {
                    findings.report(e.location(), at + " names certificate '" + e.certificate()
                            + "', which role '" + role.name() + "' does not declare" + Names.didYouMean(e.certificate(), certs),
                            "declare <Certificate name=\"" + e.certificate()
                                    + "\" storeLocation=\"LocalMachine\" storeName=\"My\"/> in the role's <Certificates>");
                } else if (!https && !isBlank(e.certificate())) {
                    findings.report(e.location(), at + " has protocol '" + e.protocol().xmlValue()
                            + "' but names certificate '" + e.certificate() + "'; only https endpoints take one",
                            "remove the certificate attribute, or change the protocol to https");
                }
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
