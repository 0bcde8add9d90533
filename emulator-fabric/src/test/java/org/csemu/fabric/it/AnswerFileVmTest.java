package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.Map;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.certificates.CertificateMaterial;
import org.csemu.fabric.certificates.TestCertificates;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The answer file, applied by the guest on first boot and read back from inside it (the {@code answer-probe}
 * service): the computer name as hostname, resolvable through {@code /etc/hosts}; the RemoteAccess account the
 * configuration enables, with its home and a locked password; and a login shell of that account that sees the role
 * environment (instance id, role, settings) the answer file's profile script gives it. RemoteAccess's
 * {@code PasswordEncryption} certificate must be in the service's store, as in the cloud: the test adds a
 * self-signed one and deploys the probe's configuration with its thumbprint.
 */
@VmTest
class AnswerFileVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void theGuestAppliesTheModelsAnswerFileOnFirstBoot() throws Exception {
        Fabric fabric = ENV.start();
        Path service = Path.of(AnswerFileVmTest.class.getResource("/services/answer-probe").toURI());
        CertificateMaterial encryption = TestCertificates.selfSigned("answer-probe.test");
        fabric.certificates().add("AnswerProbe", encryption);
        Path cscfg = ENV.dataDir().resolve("answer-probe.cscfg");
        Files.writeString(cscfg, Files.readString(service.resolve("ServiceConfiguration.cscfg"))
                .replace("0123456789ABCDEF0123456789ABCDEF01234567", encryption.thumbprint().hex()));
        Fabric.DeploymentCreation created = fabric.createDeployment("answer-probe", Slot.PRODUCTION, service, cscfg);
        FabricChecks.awaitAllReady(fabric, created.deploymentId(), BOOT);
        VipEndpoint vip = created.endpoints().stream().filter(e -> e.endpoint().equals("Http")).findFirst()
                .orElseThrow();

        // Ready on the entry point's start: its http server may take a moment more to listen.
        Map<String, String> guest = keyValues(Poller.standard().until("the guest's /answer.txt",
                Deadline.after(Duration.ofSeconds(60)),
                () -> Optional.of(FabricChecks.get("127.0.0.1", vip.boundPort(), "/answer.txt"))));
        System.out.println("answer file, as the guest shows it: " + guest);

        assertThat(guest.get("hostname")).isEqualTo("worker-in-0");
        assertThat(guest.get("etc_hostname")).isEqualTo("worker-in-0");
        assertThat(guest.get("hosts_line")).isEqualTo("127.0.1.1 worker-in-0");
        assertThat(guest.get("passwd")).isEqualTo("ops:x:1100:1100::/home/ops:/bin/sh");
        assertThat(guest.get("shadow_password")).as("locked: the cloud's encrypted password is not decrypted")
                .isEqualTo("!");
        assertThat(guest.get("home_owner")).isEqualTo("1100:1100");
        assertThat(guest.get("login")).isEqualTo("ops Worker_IN_0 Worker 5");
        assertThat(guest.get("login_setting")).isEqualTo("hello from the answer file");
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
