package org.csemu.core.validate;

import java.util.regex.Pattern;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/**
 * A certificate thumbprint is the 40 hex digits of a SHA-1 hash (whitespace ignored here, reported by CSCFG104), and
 * thumbprintAlgorithm is {@code sha1}, the only value the schema allows.
 */
final class ThumbprintFormatRule extends BaseRule {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern SHA1_HEX = Pattern.compile("[0-9A-Fa-f]{40}");

    ThumbprintFormatRule() {
        super("CSCFG103", Severity.ERROR, "thumbprints are 40 hex digits and thumbprintAlgorithm is sha1");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            for (RoleConfiguration.CertificateReference c : role.certificates()) {
                String at = "role '" + role.name() + "': certificate '" + c.name() + "'";
                String thumbprint = c.thumbprint() == null ? "" : WHITESPACE.matcher(c.thumbprint()).replaceAll("");
                if (!SHA1_HEX.matcher(thumbprint).matches()) {
                    findings.report(c.location(), at + " has thumbprint '" + (c.thumbprint() == null ? "" : c.thumbprint())
                            + "', which is not 40 hex digits (" + thumbprint.length() + " characters)",
                            "copy the SHA-1 thumbprint of the certificate, e.g. from "
                                    + "'openssl x509 -noout -fingerprint -sha1', without the colons");
                }
                if (!"sha1".equals(c.thumbprintAlgorithm())) {
                    findings.report(c.location(), at + " has thumbprintAlgorithm '"
                            + (c.thumbprintAlgorithm() == null ? "" : c.thumbprintAlgorithm()) + "'; only sha1 is allowed",
                            "set thumbprintAlgorithm=\"sha1\"");
                }
            }
        }
    }
}
