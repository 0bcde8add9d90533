package org.csemu.fabric.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.csemu.fabric.certificates.CertificateRequirements;
import org.csemu.fabric.certificates.CertificateStore;
import org.csemu.fabric.certificates.GuestCertificates;
import org.csemu.fabric.certificates.TestCertificates;
import org.csemu.fabric.certificates.Thumbprint;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.image.ImageSource;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.runtime.DeploymentResources;
import org.csemu.fabric.runtime.VipRotation;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.service.InstanceBlueprints;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.fabric.util.ProcessRunner;
import org.csemu.lb.VipLoadBalancer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cloud's deploy-time check, on the controller's fakes: a deployment, or a configuration update, whose
 * configuration names a certificate its service's store lacks is refused before anything is created or stored,
 * with DEPLOY001 naming the certificate, the role, the thumbprint and the command; once the certificate is added
 * the same files deploy.
 */
class DeploymentCertificatesTest {
    @TempDir
    Path data;

    @Test
    void unknownThumbprintsAreRefusedBeforeAnythingStartsAndKnownOnesDeploy() throws Exception {
        Harness harness = Harness.open(data);
        CertificateStore store = new CertificateStore(data);
        try (VipLoadBalancer lb = VipLoadBalancer.start()) {
            ImageRepository images = images();
            ServiceDeployments deployments = new ServiceDeployments(harness.controller, resources(new VipRotation(lb),
                    store, images), images, data, Runnable::run, new CertificateRequirements(store));
            Path cscfg = TestCertificates.certProbeConfiguration(data.resolve("cfg"), TestCertificates.RSA_THUMBPRINT,
                    TestCertificates.EC_THUMBPRINT);
            store.add("CertProbe", TestCertificates.read("rsa.pfx"));

            assertThatThrownBy(() -> deployments.create("cert-probe", Slot.PRODUCTION, TestCertificates.certProbe(),
                    cscfg, true)).isInstanceOfSatisfying(DeploymentRejectedException.class, e -> {
                        assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                            assertThat(d.code()).isEqualTo("DEPLOY001");
                            assertThat(d.message()).isEqualTo("role 'Worker': certificate 'Signing' with thumbprint "
                                    + TestCertificates.EC_THUMBPRINT + " is not in the certificate store of service"
                                    + " 'CertProbe'");
                            assertThat(d.fix()).contains("csemu certificates add CertProbe <file.pfx|file.pem>");
                        });
                        assertThat(e.getMessage()).contains("1 certificate(s)");
                    });
            assertThat(harness.controller.model().desired().deployments()).isEmpty();
            assertThat(harness.runtime.domains()).isEmpty();
            try (var staged = Files.list(data.resolve("staging"))) {
                assertThat(staged).isEmpty();
            }

            store.add("CertProbe", TestCertificates.read("ec-with-key.pem"));
            String id = deployments.create("cert-probe", Slot.PRODUCTION, TestCertificates.certProbe(), cscfg, true)
                    .deployment().id();
            harness.runtime.settle();
            assertThat(deployments.usingCertificate("CertProbe", Thumbprint.parse(TestCertificates.EC_THUMBPRINT)))
                    .containsExactly("cert-probe");
            assertThat(deployments.usingCertificate("Other", Thumbprint.parse(TestCertificates.EC_THUMBPRINT))).isEmpty();

            Path stored = data.resolve("deployments").resolve(id).resolve("service/ServiceConfiguration.cscfg");
            String before = Files.readString(stored);
            String unknown = TestCertificates.selfSigned("not-in-the-store.test").thumbprint().hex();
            Path next = TestCertificates.certProbeConfiguration(data.resolve("cfg2"), TestCertificates.RSA_THUMBPRINT,
                    unknown);
            assertThatThrownBy(() -> deployments.changeConfiguration(id, next))
                    .isInstanceOfSatisfying(DeploymentRejectedException.class, e -> assertThat(e.diagnostics())
                            .singleElement().satisfies(d -> assertThat(d.message()).contains("'Signing'", unknown)));
            assertThat(Files.readString(stored)).isEqualTo(before);
            assertThat(harness.controller.runningConfigurationChange(id)).isEmpty();
        }
    }

    private DeploymentResources resources(VipRotation rotation, CertificateStore store, ImageRepository images) {
        NetworkAllocator network = new NetworkAllocator(data);
        InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(data,
                "fabric-1", 1, 128, 2, InstancePlan.Timeouts.defaults()), network, new GuestCertificates(store));
        return new DeploymentResources(new ServiceStore(data), network, blueprints, rotation, images, "csemu-base",
                "127.0.0.1");
    }

    private ImageRepository images() throws Exception {
        ImageRepository images = new ImageRepository(data.resolve("images"));
        if (images.inspect("csemu-base").isEmpty()) {
            // a tiny real qcow2 and stand-in kernel files: enough for planning, nothing boots here
            Path src = Files.createDirectories(data.resolve("image-src"));
            ProcessRunner.run(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2",
                    src.resolve("disk.qcow2").toString(), "16M").orThrow();
            Files.writeString(src.resolve("vmlinux"), "kernel");
            Files.writeString(src.resolve("initrd.img"), "initrd");
            images.add(new ImageSource("csemu-base", src.resolve("disk.qcow2"), "qcow2", src.resolve("vmlinux"),
                    src.resolve("initrd.img"), "quiet"));
        }
        return images;
    }
}
