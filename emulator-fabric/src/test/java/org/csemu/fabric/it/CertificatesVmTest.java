package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Path;
import java.util.List;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.certificates.CertificateMaterial;
import org.csemu.fabric.certificates.SelfSignedCertificates;
import org.csemu.fabric.certificates.TestCertificates;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificates from the service's store inside a real guest (the {@code cert-probe} service): a deployment naming a
 * certificate the store lacks is refused with the fix; once two self-signed certificates are added, the instance
 * has each under {@code /csemu/certificates/<storeLocation>/<storeName>/}, the {@code limitedOrElevated} key
 * readable by the role's user {@code csemu} and the {@code elevated} one by root only, and role code (exec, as
 * {@code csemu}) finds them in its environment and through {@code csemu-role}.
 */
@VmTest
class CertificatesVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void theGuestGetsEachCertificateWhereItsDeclarationSaysWithTheKeyAsItsPermissionLevelAllows() throws Exception {
        Fabric fabric = ENV.start();
        Path service = TestCertificates.certProbe();
        CertificateMaterial site = new SelfSignedCertificates(ENV.dataDir().resolve("tmp")).create("site.cert-probe.test");
        CertificateMaterial signing = new SelfSignedCertificates(ENV.dataDir().resolve("tmp")).create("signing.test");
        Path cscfg = TestCertificates.certProbeConfiguration(ENV.dataDir().resolve("cert-probe"),
                site.thumbprint().hex(), signing.thumbprint().hex());

        fabric.certificates().add("CertProbe", site);
        assertThatThrownBy(() -> fabric.createDeployment("cert-probe", Slot.PRODUCTION, service, cscfg))
                .isInstanceOf(DeploymentRejectedException.class)
                .hasMessageContaining("certificate 'Signing' with thumbprint " + signing.thumbprint().hex())
                .hasMessageContaining("csemu certificates add CertProbe");
        assertThat(fabric.deployments()).isEmpty();

        fabric.certificates().add("CertProbe", signing);
        Fabric.DeploymentCreation created = fabric.createDeployment("cert-probe", Slot.PRODUCTION, service, cscfg);
        FabricChecks.awaitAllReady(fabric, created.deploymentId(), BOOT);
        InstanceRef ref = new InstanceRef(created.deploymentId(), "Worker", "Worker_IN_0");
        String my = "/csemu/certificates/LocalMachine/My/" + site.thumbprint().hex();
        String root = "/csemu/certificates/LocalMachine/Root/" + signing.thumbprint().hex();

        List<String> modes = FabricChecks.exec(fabric, ref, true, "stat -c '%n %a %U:%G' " + my + ".pem " + my + ".key " + root
                + ".pem " + root + ".key /csemu/config/csemu/certificates");
        System.out.println("certificates in the guest: " + modes);
        assertThat(modes).containsExactly(my + ".pem 644 root:root", my + ".key 640 root:csemu",
                root + ".pem 644 root:root", root + ".key 600 root:root", "/csemu/config/csemu/certificates 700 root:root");
        assertThat(String.join("\n", FabricChecks.exec(fabric, ref, true, "cat " + my + ".pem"))).isEqualTo(site.certificatePem().strip());

        // as the role's user: the limitedOrElevated key reads, the elevated one does not; the environment lists both
        assertThat(FabricChecks.exec(fabric, ref, false, "id -un; head -1 " + my + ".key; head -1 " + root + ".key 2>/dev/null"
                + " || echo denied")).containsExactly("csemu", "-----BEGIN PRIVATE KEY-----", "denied");
        assertThat(FabricChecks.exec(fabric, ref, false, "echo $CSEMU_CERTIFICATE_COUNT $CSEMU_CERTIFICATE_0_NAME"
                + " $CSEMU_CERTIFICATE_0_THUMBPRINT $CSEMU_CERTIFICATE_1_PATH; csemu-role certificate-key Site"))
                .containsExactly("2 Site " + site.thumbprint().hex() + " " + root + ".pem", my + ".key");
    }
}
