package org.csemu.core.validate;

import java.util.Locale;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/**
 * The documented thumbprint form is upper-case hex without spaces. Spaces and lower case are accepted by the schema,
 * but copies from the Windows certificate dialog carry invisible characters and tools compare thumbprints as text.
 */
final class ThumbprintStyleRule extends BaseRule {

    ThumbprintStyleRule() {
        super("CSCFG104", Severity.WARNING, "thumbprints are upper-case hex without spaces");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            for (RoleConfiguration.CertificateReference c : role.certificates()) {
                String t = c.thumbprint();
                if (t == null || t.isEmpty()) {
                    continue;
                }
                String canonical = t.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
                if (!canonical.equals(t) && canonical.matches("[0-9A-F]+")) {
                    boolean spaces = t.chars().anyMatch(Character::isWhitespace);
                    findings.report(c.location(), "role '" + role.name() + "': certificate '" + c.name()
                            + "' has thumbprint '" + t + "' with " + (spaces ? "whitespace" : "lower-case letters"),
                            "write it as thumbprint=\"" + canonical + "\"");
                }
            }
        }
    }
}
