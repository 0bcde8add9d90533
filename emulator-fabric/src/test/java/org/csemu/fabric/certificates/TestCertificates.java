package org.csemu.fabric.certificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificates for tests: the openssl-made fixtures in {@code src/test/resources/certificates} (see its README), and
 * self-signed ones made with keytool once per name and JVM (keytool takes about a second).
 */
public final class TestCertificates {
    public static final String RSA_THUMBPRINT = "763C981F2C0108E53778C484A326D48E891F82F5";
    public static final String EC_THUMBPRINT = "B88C20F90ABB46B5C7796532A4F46A466A547902";

    private static final Map<String, CertificateMaterial> SELF_SIGNED = new ConcurrentHashMap<>();

    private TestCertificates() {
    }

    public static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(Path.of(TestCertificates.class.getResource("/certificates/" + name).toURI()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static CertificateMaterial read(String fixture) throws CertificateRejectedException {
        return CertificateFiles.read(fixture, fixture(fixture), fixture.endsWith(".pfx") ? "s3cret".toCharArray() : null);
    }

    /** A self-signed certificate with its key, the same one for a name during the test run. */
    public static CertificateMaterial selfSigned(String name) {
        return SELF_SIGNED.computeIfAbsent(name, n -> {
            try {
                Path tmp = Files.createTempDirectory("csemu-test-certs-");
                try {
                    return new SelfSignedCertificates(tmp).create(n);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (CertificateRejectedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The cert-probe template configuration with the two thumbprints put in, written to {@code dir}. */
    public static Path certProbeConfiguration(Path dir, String site, String signing) throws Exception {
        Path template = Path.of(TestCertificates.class.getResource("/services/cert-probe/ServiceConfiguration.cscfg")
                .toURI());
        String text = Files.readString(template).replace("0".repeat(40), site).replace("1".repeat(40), signing);
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("CertProbe.cscfg"), text);
    }

    public static Path certProbe() throws URISyntaxException {
        return Path.of(TestCertificates.class.getResource("/services/cert-probe").toURI());
    }
}
