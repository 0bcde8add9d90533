package org.csemu.fabric.certificates;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;

/**
 * The deploy-time check the cloud makes and {@code csemu validate} cannot (it has no daemon): every certificate a
 * configuration names by thumbprint must be in the store of its hosted service. Checked when a deployment is
 * created and when {@code csemu update} brings a new configuration, before anything starts; each missing
 * certificate is one {@code DEPLOY001} error at its {@code <Certificate>} element, with the command that adds it.
 */
public final class CertificateRequirements {
    public static final String CODE = "DEPLOY001";

    private final CertificateStore store;

    public CertificateRequirements(CertificateStore store) {
        this.store = store;
    }

    /** One error per certificate of {@code configuration} that the service's store does not hold; empty: all there. */
    public List<Diagnostic> missing(String service, ServiceConfiguration configuration) {
        List<Diagnostic> out = new ArrayList<>();
        for (RoleConfiguration role : configuration.roles()) {
            for (RoleConfiguration.CertificateReference ref : role.certificates()) {
                Thumbprint thumbprint;
                try {
                    thumbprint = Thumbprint.parse(ref.thumbprint());
                } catch (IllegalArgumentException e) {
                    continue; // CSCFG103 refused it already
                }
                if (!store.contains(service, thumbprint)) {
                    out.add(new Diagnostic(ref.location().file(), ref.location().line(), ref.location().column(),
                            Severity.ERROR, CODE, "role '" + role.name() + "': certificate '" + ref.name()
                            + "' with thumbprint " + thumbprint + " is not in the certificate store of service '"
                            + service + "'", addCommand(service)));
                }
            }
        }
        return out;
    }

    /** What the user runs to add a certificate to the service's store. */
    public static String addCommand(String service) {
        String quoted = service.matches("[A-Za-z0-9_.-]+") ? service : "'" + service.replace("'", "'\\''") + "'";
        return "add it: csemu certificates add " + quoted + " <file.pfx|file.pem> [--password <password>]"
                + " (csemu certificates list " + quoted + " shows what the store holds)";
    }
}
