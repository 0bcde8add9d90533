package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.csemu.cli.ExitCodes;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.core.util.FileTrees;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Azure SDK's tools hand a user, deployed on real VMs through {@code csemu run}: the hello-web sample as a
 * CSPack current-format package ({@code csemu pack --format cspack}) and as a {@code .csx} directory laid out like
 * {@code cspack /copyOnly} writes it, each to a VIP that answers; and an encrypted older-format package, refused
 * offline with its reason and the way out. One instance per deployment, one deployment at a time, to keep it cheap.
 */
@VmTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CspackDeployVmTest {
    private static final Path ROOT = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize();
    private static final Path HELLO_WEB = ROOT.resolve("samples/hello-web");

    @RegisterExtension
    static final LiveDaemonSession LIVE = LiveDaemonSession.create();

    private LiveDaemon daemon;
    private Path work;
    private Path oneInstance;

    @BeforeAll
    void setUp() throws IOException {
        daemon = LIVE.daemon();
        work = Files.createTempDirectory("csemu-cspack-vm");
        oneInstance = work.resolve("ServiceConfiguration.cscfg");
        Files.writeString(oneInstance, Files.readString(HELLO_WEB.resolve("ServiceConfiguration.cscfg"))
                .replace("count=\"2\"", "count=\"1\""));
    }

    @AfterAll
    void tearDown() throws IOException {
        if (work != null) {
            FileTrees.delete(work);
        }
    }

    @Test
    @Order(1)
    void anEncryptedPackageIsRefusedOfflineWithTheWayOut() throws IOException {
        Path encrypted = work.resolve("encrypted.cspkg");
        byte[] ciphertext = new byte[4096];
        new java.util.Random(7).nextBytes(ciphertext);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(encrypted))) {
            zip.putNextEntry(new ZipEntry("ServiceDefinition.csdef"));
            zip.write(Files.readAllBytes(HELLO_WEB.resolve("ServiceDefinition.csdef")));
            zip.putNextEntry(new ZipEntry("WebRole1_3f2504e0-4f89-11d3-9a0c-0305e82c3301.cssx"));
            zip.write(ciphertext);
        }
        LiveDaemon.Result inspect = LiveDaemon.csemuRaw("package", "inspect", encrypted.toString());
        assertThat(inspect.code()).as(inspect.all()).isEqualTo(ExitCodes.INVALID);
        LiveDaemon.Result r = daemon.csemu("run", encrypted.toString(), oneInstance.toString(), "--wait-ready",
                "--timeout", "1m");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.err()).contains("CSPack encrypted this role's content").contains("_CSPACK_FORCE_NOENCRYPT_=true")
                .contains(".csx directory");
        assertThat(daemon.info()).as("nothing was started for a refused package").isEmpty();
    }

    @Test
    @Order(2)
    void aCspackPackageRunsToAnAnsweringVip() throws Exception {
        Path pkg = work.resolve("hello-cspack.cspkg");
        LiveDaemon.Result pack = LiveDaemon.csemuRaw("pack", HELLO_WEB.resolve("ServiceDefinition.csdef").toString(),
                "--role", "WebRole1=" + HELLO_WEB.resolve("WebRole1"), "--format", "cspack", "--out", pkg.toString());
        assertThat(pack.code()).as(pack.all()).isEqualTo(ExitCodes.OK);
        LiveDaemon.Result inspect = LiveDaemon.csemuRaw("package", "inspect", pkg.toString());
        assertThat(inspect.code()).as(inspect.all()).isEqualTo(ExitCodes.OK);
        assertThat(inspect.out()).contains("CSPack package (package.xml)").contains("sitesroot/0/style.css");
        deployAndRemove(pkg, "cspack", "--daemon-port", "0");
    }

    @Test
    @Order(3)
    void aCsxDirectoryRunsToAnAnsweringVip() throws Exception {
        Path csx = work.resolve("HelloWeb.csx");
        Path role = csx.resolve("roles/WebRole1");
        Files.createDirectories(role.resolve("approot"));
        Files.createDirectories(role.resolve("sitesroot/0"));
        Files.copy(HELLO_WEB.resolve("ServiceDefinition.csdef"), csx.resolve("ServiceDefinition.csdef"));
        Files.writeString(csx.resolve("ServiceDefinition.rd"), "<serviceModel/>");
        for (String f : new String[] {"make-page.sh", "on-changed.sh"}) {
            Files.copy(HELLO_WEB.resolve("WebRole1").resolve(f), role.resolve("approot").resolve(f));
        }
        Files.copy(HELLO_WEB.resolve("WebRole1/site/style.css"), role.resolve("sitesroot/0/style.css"));
        LiveDaemon.Result inspect = LiveDaemon.csemuRaw("package", "inspect", csx.toString());
        assertThat(inspect.code()).as(inspect.all()).isEqualTo(ExitCodes.OK);
        assertThat(inspect.out()).contains(".csx directory (cspack /copyOnly)");
        deployAndRemove(csx, "csx");
    }

    private void deployAndRemove(Path service, String name, String... extra) throws Exception {
        String[] args = new String[] {"run", service.toString(), oneInstance.toString(), "--name", name, "--wait-ready",
            "--timeout", "6m"};
        String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra))
                .toArray(String[]::new);
        LiveDaemon.Result r = daemon.csemu(all);
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        String url = r.out().lines().filter(l -> l.startsWith("Http  http://127.0.0.1:")).findFirst()
                .map(l -> l.split("\\s+")[1]).orElseThrow(() -> new AssertionError("no VIP URL in\n" + r.out()));
        assertThat(CliLifecycleVmTest.servedBy(url, Set.of("WebRole1_IN_0"))).containsExactly("WebRole1_IN_0");
        assertThat(CliLifecycleVmTest.get(url)).contains("Hello from csemu");
        assertThat(CliLifecycleVmTest.get(url + "style.css")).isNotEmpty();
        LiveDaemon.Result remove = daemon.csemu("remove", "-d", name, "--timeout", "4m");
        assertThat(remove.code()).as(remove.all()).isEqualTo(ExitCodes.OK);
        // the next deployment is of the same service: wait until the daemon has forgotten this one
        assertThat(Poller.every(Duration.ofMillis(200)).within(Deadline.after(Duration.ofSeconds(30)), () -> {
            LiveDaemon.Result status = daemon.csemu("status", "--json");
            for (JsonNode d : new ObjectMapper().readTree(status.out())) {
                if (d.get("name").asText().equals(name)) {
                    return false;
                }
            }
            return true;
        })).as("deployment " + name + " forgotten after remove").isTrue();
    }
}
