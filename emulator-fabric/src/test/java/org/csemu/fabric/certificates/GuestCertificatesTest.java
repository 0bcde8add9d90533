package org.csemu.fabric.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DesiredPower;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.service.InstanceBlueprints;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ServiceSource;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance's plan carries the certificates its configuration names, from its service's store, with the store
 * location, store name and permission level of their declaration; one missing from the store fails the plan with
 * the command that adds it.
 */
class GuestCertificatesTest {
    @TempDir
    Path data;

    @Test
    void theConfigDriveCarriesEachConfiguredCertificateAsTheDefinitionDeclaresIt() throws Exception {
        CertificateStore store = new CertificateStore(data);
        store.add("CertProbe", TestCertificates.read("rsa.pfx"));
        store.add("CertProbe", TestCertificates.read("rsa-only.pem")); // re-added without its key: the key is gone
        store.add("CertProbe", TestCertificates.read("ec-with-key.pem"));
        LoadedService service = stage(TestCertificates.certProbeConfiguration(data.resolve("cfg"),
                TestCertificates.RSA_THUMBPRINT, TestCertificates.EC_THUMBPRINT.toLowerCase()));
        DeploymentRecord d = new DeploymentRecord("dep1", "cert-probe", "CertProbe", Slot.PRODUCTION, false, false, 1,
                List.of(), List.of(new InstanceRecord("Worker_IN_0", "Worker", 0, 0, 0, DesiredPower.RUNNING, 0, 0,
                null, 0)), Instant.EPOCH, 0);
        InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(data, "fabric-1", 1,
                128, 2, InstancePlan.Timeouts.defaults()), new NetworkAllocator(data), new GuestCertificates(store));
        InstanceSpec spec = new InstanceSpec(new InstanceRef("dep1", "Worker", "Worker_IN_0"), RoleKind.WORKER_ROLE,
                0, 0, 0, 0, 0, List.of(), null, null);

        List<ConfigDriveInput.Certificate> certs = blueprints.plan(service, d, spec, image()).configDrive().certificates();
        assertThat(certs).hasSize(2);
        assertThat(certs.get(0)).satisfies(c -> {
            assertThat(c.name()).isEqualTo("Site");
            assertThat(c.thumbprint()).isEqualTo(TestCertificates.RSA_THUMBPRINT);
            assertThat(c.storeLocation() + "/" + c.storeName() + " " + c.permissionLevel())
                    .isEqualTo("LocalMachine/My limitedOrElevated");
            assertThat(c.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(c.privateKeyPem()).isNull();
        });
        assertThat(certs.get(1)).satisfies(c -> {
            assertThat(c.name()).isEqualTo("Signing");
            assertThat(c.thumbprint()).isEqualTo(TestCertificates.EC_THUMBPRINT);
            assertThat(c.storeLocation() + "/" + c.storeName() + " " + c.permissionLevel())
                    .isEqualTo("LocalMachine/Root elevated");
            assertThat(c.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----");
        });

        store.remove("CertProbe", Thumbprint.parse(TestCertificates.EC_THUMBPRINT));
        assertThatThrownBy(() -> blueprints.plan(service, d, spec, image()))
                .hasMessageContaining("certificate 'Signing' (" + TestCertificates.EC_THUMBPRINT + ")")
                .hasMessageContaining("csemu certificates add CertProbe");
    }

    @Test
    void anHttpsBindingTakesTheThumbprintItsEndpointsCertificateHasInTheConfiguration() throws Exception {
        CertificateStore store = new CertificateStore(data);
        CertificateMaterial ssl = TestCertificates.selfSigned("www.https-site.test");
        store.add("HttpsSite", ssl);
        Path service = Path.of(GuestCertificatesTest.class.getResource("/services/https-site").toURI());
        Path cscfg = java.nio.file.Files.writeString(data.resolve("HttpsSite.cscfg"), java.nio.file.Files.readString(
                service.resolve("ServiceConfiguration.cscfg")).replace("0".repeat(40),
                ssl.thumbprint().hex().toLowerCase()));
        LoadedService loaded = stage(service, "https-site", cscfg);
        DeploymentRecord d = new DeploymentRecord("dep2", "https-site", "HttpsSite", Slot.PRODUCTION, false, false, 1,
                List.of(), List.of(new InstanceRecord("Web_IN_0", "Web", 0, 0, 0, DesiredPower.RUNNING, 0, 0, null, 0)),
                Instant.EPOCH, 0);
        InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(data, "fabric-1", 1,
                128, 2, InstancePlan.Timeouts.defaults()), new NetworkAllocator(data), new GuestCertificates(store));
        InstanceSpec spec = new InstanceSpec(new InstanceRef("dep2", "Web", "Web_IN_0"), RoleKind.WEB_ROLE,
                0, 0, 0, 0, 0, List.of(), null, null);

        InstancePlan plan = blueprints.plan(loaded, d, spec, image());
        int https = plan.endpoints().stream().filter(e -> e.name().equals("Https")).findFirst().orElseThrow()
                .guestPort();
        int http = plan.endpoints().stream().filter(e -> e.name().equals("Http")).findFirst().orElseThrow()
                .guestPort();
        ConfigDriveInput.SiteContent site = plan.configDrive().sites().get(0);
        assertThat(site.ports()).containsExactly(http, https);
        assertThat(site.httpsCertificates()).as("only the https binding, with the thumbprint in upper case")
                .containsExactly(java.util.Map.entry(https, ssl.thumbprint().hex()));
    }

    private LoadedService stage(Path cscfg) throws Exception {
        return stage(TestCertificates.certProbe(), "cert-probe", cscfg);
    }

    private LoadedService stage(Path service, String name, Path cscfg) throws Exception {
        ServiceSource source = ServiceSource.resolve(service, cscfg, data.resolve("tmp"));
        try {
            return new ServiceStore(data).stage(name, source);
        } finally {
            source.cleanup();
        }
    }

    private Image image() {
        Path f = data.resolve("img");
        return new Image("a".repeat(64), List.of("csemu-base"), f, "qcow2", 1, 1, "x", f, f, "quiet", Instant.EPOCH);
    }
}
