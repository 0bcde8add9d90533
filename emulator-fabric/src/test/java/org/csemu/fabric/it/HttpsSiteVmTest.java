package org.csemu.fabric.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.csemu.fabric.it.FabricChecks.BOOT;
import static org.csemu.testing.HostRequirement.require;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.certificates.CertificateMaterial;
import org.csemu.fabric.certificates.SelfSignedCertificates;
import org.csemu.fabric.certificates.Thumbprint;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An https input endpoint bound to a site is served over TLS by the guest, with the certificate the configuration
 * names from the service's store (the {@code https-site} service): the VIP passes TLS through, the peer certificate
 * a client sees is the store's, a client that trusts exactly that certificate and checks the host name accepts
 * {@code 127.0.0.1}, the JDK's default trust refuses the handshake, CGI runs behind TLS, the site's http binding
 * serves the same content in the clear, and a renewed certificate (a new thumbprint through a configuration
 * change) is what the endpoint serves after the instance's recycle. Evidence from the host (TLS handshakes through the VIP) and from the guest
 * (socat terminating TLS on the endpoint's port).
 */
@VmTest
class HttpsSiteVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void theHttpsBindingIsServedOverTlsWithTheStoresCertificateAndTheHttpBindingServesTheSameSite() throws Exception {
        Fabric fabric = ENV.start();
        Path service = copyService(ENV.dataDir().resolve("https-site"));
        CertificateMaterial ssl = new SelfSignedCertificates(ENV.dataDir().resolve("tmp")).create("www.https-site.test");
        Path cscfg = service.resolve("ServiceConfiguration.cscfg");
        Files.writeString(cscfg, Files.readString(cscfg).replace("0".repeat(40), ssl.thumbprint().hex()));
        fabric.certificates().add("HttpsSite", ssl);

        Fabric.DeploymentCreation created = fabric.createDeployment("https-site", Slot.PRODUCTION, service, cscfg);
        FabricChecks.awaitAllReady(fabric, created.deploymentId(), BOOT);
        int https = port(created, "Https");
        int http = port(created, "Http");

        // the guest terminates TLS itself: socat on the endpoint's local port, with the installed certificate
        InstanceRef ref = new InstanceRef(created.deploymentId(), "Web", "Web_IN_0");
        assertThat(String.join("\n", FabricChecks.exec(fabric, ref, true, "ps -o args | grep '[s]ocat OPENSSL-LISTEN'")))
                .contains("EXEC:httpd -i -h /csemu/sitesroot/0");

        // Ready comes as the services start: wait until the TLS listener answers, then look at what it presents
        AtomicReference<X509Certificate> presented = new AtomicReference<>();
        SSLContext capturing = capturing(presented);
        String index = Poller.every(Duration.ofMillis(500)).until("the https endpoint to answer over TLS",
                Deadline.after(Duration.ofSeconds(60)),
                () -> Optional.of(get(capturing, "127.0.0.1", https, "/index.html", false)));
        assertThat(index).isEqualTo("https-site index\n");
        assertThat(Thumbprint.of(presented.get())).as("the certificate the VIP's clients see is the store's")
                .isEqualTo(ssl.thumbprint());

        // a client that trusts this certificate only, checking the host name: 127.0.0.1 is one of its names; CGI
        // answers from each instance (by its computer name) behind TLS
        SSLContext pinned = trusting(ssl.certificate());
        assertThat(answeringInstances(pinned, https)).containsExactlyInAnyOrder("web-in-0", "web-in-1");
        // curl, as a user checks it: --cacert with the certificate alone
        Path pem = Files.writeString(ENV.dataDir().resolve("tmp/ssl.pem"), ssl.certificatePem());
        assertThat(curl(pem, https, "/index.html")).isEqualTo("https-site index\n");
        // the JDK's default trust does not know a self-signed certificate: the handshake fails, nothing is served
        assertThatThrownBy(() -> get(SSLContext.getDefault(), "127.0.0.1", https, "/index.html", true))
                .isInstanceOf(SSLHandshakeException.class);
        // the same site on its http binding, in the clear
        assertThat(FabricChecks.get("127.0.0.1", http, "/index.html")).isEqualTo("https-site index\n");

        // a renewed certificate: the new thumbprint in the configuration recycles the instance, which then serves it
        CertificateMaterial renewed = new SelfSignedCertificates(ENV.dataDir().resolve("tmp"))
                .create("www.https-site.test");
        fabric.certificates().add("HttpsSite", renewed);
        Files.writeString(cscfg, Files.readString(cscfg).replace(ssl.thumbprint().hex(), renewed.thumbprint().hex()));
        String id = created.deploymentId();
        int before = fabric.events(id).size();
        List<OperationRecord> ops = fabric.changeConfiguration(id, cscfg);
        assertThat(ops).hasSize(1);
        OperationRecord done = fabric.await(ops.get(0).id(), BOOT);
        assertThat(done.status()).as(done.errors() + "\n" + FabricChecks.describe(fabric, id))
                .isEqualTo(OperationRecord.Status.SUCCEEDED);
        // upgrade domain by upgrade domain: Web_IN_0 (domain 0) is back before Web_IN_1 (domain 1) goes offline
        List<LifecycleEvent> walk = fabric.events(id).subList(before, fabric.events(id).size());
        int firstBack = indexOf(walk, "Web_IN_0", "ReadyRole");
        int secondOff = indexOf(walk, "Web_IN_1", "StoppingRole");
        assertThat(firstBack).as("domain 0 recycled and Ready: %s", walk).isNotNegative();
        assertThat(secondOff).as("domain 1 taken offline after domain 0 was back: %s", walk).isGreaterThan(firstBack);
        assertThat(FabricChecks.states(fabric, id, "Web_IN_1", before)).as("no Changing/Changed: a recycle")
                .containsExactly("StoppingRole", "StartingVM", "StartingRole", "ReadyRole");
        // each instance serves the renewed certificate (a client trusting only it, checking the name), curl too
        SSLContext renewedOnly = trusting(renewed.certificate());
        Set<String> renewedFrom = Poller.every(Duration.ofMillis(500)).until("both instances on the renewed certificate",
                Deadline.after(Duration.ofSeconds(60)), () -> {
                    Set<String> seen = answeringInstances(renewedOnly, https);
                    return seen.size() == 2 ? Optional.of(seen) : Optional.empty();
                });
        assertThat(renewedFrom).containsExactlyInAnyOrder("web-in-0", "web-in-1");
        Path renewedPem = Files.writeString(ENV.dataDir().resolve("tmp/renewed.pem"), renewed.certificatePem());
        assertThat(curl(renewedPem, https, "/index.html")).isEqualTo("https-site index\n");
        assertThatThrownBy(() -> curl(pem, https, "/index.html")).as("the old certificate is no longer served")
                .hasMessageContaining("exit 60");
        for (String instance : List.of("Web_IN_0", "Web_IN_1")) {
            assertThat(String.join("\n", FabricChecks.exec(fabric, new InstanceRef(id, "Web", instance), true,
                    "ls /csemu/certificates/LocalMachine/My"))).as(instance + ": the renewed certificate only")
                    .isEqualTo(renewed.thumbprint().hex() + ".key\n" + renewed.thumbprint().hex() + ".pem");
        }
    }

    private static int indexOf(List<LifecycleEvent> events, String instance, String to) {
        for (int i = 0; i < events.size(); i++) {
            if (java.util.Objects.equals(events.get(i).instanceId(), instance) && to.equals(events.get(i).to())) {
                return i;
            }
        }
        return -1;
    }

    /** The computer names that answer /cgi-bin/who over TLS within 40 new connections (the VIP spreads them). */
    private static Set<String> answeringInstances(SSLContext tls, int port) throws IOException {
        Set<String> seen = new TreeSet<>();
        for (int i = 0; i < 40 && seen.size() < 2; i++) {
            String body = get(tls, "127.0.0.1", port, "/cgi-bin/who", true);
            assertThat(body).startsWith("cgi from ").endsWith(" method=GET\n");
            seen.add(body.substring("cgi from ".length(), body.indexOf(" method=")));
        }
        return seen;
    }

    /** {@code curl --cacert PEM https://127.0.0.1:PORT/PATH}: the body, or an IOException with curl's exit code. */
    private static String curl(Path pem, int port, String path) throws Exception {
        require(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is missing (./csemu setup installs it)");
        Process p = new ProcessBuilder("/usr/bin/curl", "-sS", "--max-time", "20", "--cacert", pem.toString(),
                "https://127.0.0.1:" + port + path).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish within 30 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("curl exit " + p.exitValue() + ": " + out.strip());
        }
        return out;
    }

    /** The service, copied so that its CGI script is executable whatever the build did to resource modes. */
    private static Path copyService(Path into) throws Exception {
        Path from = Path.of(HttpsSiteVmTest.class.getResource("/services/https-site").toURI());
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path to = into.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        Files.setPosixFilePermissions(into.resolve("Web/site/cgi-bin/who"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return into;
    }

    private static int port(Fabric.DeploymentCreation created, String endpoint) {
        return created.endpoints().stream().filter(e -> e.endpoint().equals(endpoint) && e.instanceId() == null)
                .mapToInt(VipEndpoint::boundPort).findFirst().orElseThrow();
    }

    /** GET over TLS on a new connection; {@code checkHost}: the certificate must name {@code host}. */
    private static String get(SSLContext tls, String host, int port, String path, boolean checkHost)
            throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), 5000);
            plain.setSoTimeout(15000);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                if (checkHost) {
                    SSLParameters params = s.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    s.setSSLParameters(params);
                }
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (!response.startsWith("HTTP/1.") || !response.substring(9, 12).equals("200")) {
                    throw new IOException("GET " + path + " over TLS answered "
                            + response.lines().findFirst().orElse("nothing"));
                }
                int body = response.indexOf("\r\n\r\n");
                return body < 0 ? "" : response.substring(body + 4);
            }
        }
    }

    /** Accepts any server certificate and keeps the one presented (to compare it with the store's). */
    private static SSLContext capturing(AtomicReference<X509Certificate> presented) throws Exception {
        TrustManager keep = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("client side only");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                presented.set(chain[0]);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {keep}, null);
        return tls;
    }

    private static SSLContext trusting(X509Certificate only) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("site", only);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        return tls;
    }

}
