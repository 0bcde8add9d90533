package org.csemu.fabric.certificates;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.fabric.disk.ConfigDriveInput;

/**
 * The certificates one instance's config drive carries: every certificate its role's configuration names, with the
 * store location, store name and permission level its definition declares, and the certificate (and key, where the
 * store holds it) from its service's store. A certificate a module declares (RemoteAccess's
 * {@code PasswordEncryption}) has no declaration in the role: it goes to {@code LocalMachine/My}, key for root only,
 * as the cloud installs plugin certificates into the machine's personal store.
 */
public final class GuestCertificates {
    static final String MODULE_STORE_LOCATION = "LocalMachine";
    static final String MODULE_STORE_NAME = "My";
    static final String MODULE_PERMISSION_LEVEL = "elevated";

    private final CertificateStore store;

    public GuestCertificates(CertificateStore store) {
        this.store = store;
    }

    /**
     * @throws IllegalStateException a named certificate is no longer in the store (removed by hand): the instance
     *                               cannot be given it, and the message says how to add it back
     */
    public List<ConfigDriveInput.Certificate> forRole(String service, RoleDefinition role, RoleConfiguration cfg) {
        List<ConfigDriveInput.Certificate> out = new ArrayList<>();
        for (RoleConfiguration.CertificateReference ref : cfg.certificates()) {
            Thumbprint thumbprint = Thumbprint.parse(ref.thumbprint());
            CertificateMaterial material;
            try {
                material = store.find(service, thumbprint).orElseThrow(() -> new IllegalStateException("role '"
                        + role.name() + "': certificate '" + ref.name() + "' (" + thumbprint + ") is not in the"
                        + " certificate store of service '" + service + "'; "
                        + CertificateRequirements.addCommand(service)));
            } catch (IOException e) {
                throw new IllegalStateException("role '" + role.name() + "': certificate '" + ref.name() + "': "
                        + e.getMessage(), e);
            }
            Optional<CertificateDeclaration> declared = role.certificates().stream()
                    .filter(d -> d.name().equals(ref.name())).findFirst();
            out.add(new ConfigDriveInput.Certificate(ref.name(), thumbprint.hex(),
                    declared.map(CertificateDeclaration::storeLocation).orElse(MODULE_STORE_LOCATION),
                    declared.map(CertificateDeclaration::storeName).orElse(MODULE_STORE_NAME),
                    declared.map(CertificateDeclaration::permissionLevel).orElse(MODULE_PERMISSION_LEVEL),
                    material.certificatePem(), material.privateKeyPem().orElse(null)));
        }
        return out;
    }
}
