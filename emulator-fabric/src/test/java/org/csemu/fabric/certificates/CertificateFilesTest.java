package org.csemu.fabric.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * PFX and PEM read with the JDK alone, against files openssl made: the thumbprint openssl computes, the key when
 * there is one, and a clear refusal (naming the file and the fix) for each kind of bad input.
 */
class CertificateFilesTest {

    @Test
    void aPfxWithItsPasswordGivesTheCertificateAndItsKey() throws Exception {
        CertificateMaterial m = TestCertificates.read("rsa.pfx");
        assertThat(m.thumbprint().hex()).isEqualTo(TestCertificates.RSA_THUMBPRINT);
        assertThat(m.key()).isPresent();
        assertThat(m.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=fixed.csemu.test");
    }

    @Test
    void pemWithAndWithoutAKeyRsaAndEc() throws Exception {
        CertificateMaterial withKey = TestCertificates.read("rsa-with-key.pem");
        assertThat(withKey.thumbprint().hex()).isEqualTo(TestCertificates.RSA_THUMBPRINT);
        assertThat(withKey.key()).isPresent();
        CertificateMaterial only = TestCertificates.read("rsa-only.pem");
        assertThat(only.thumbprint()).isEqualTo(withKey.thumbprint());
        assertThat(only.key()).isEmpty();
        CertificateMaterial ec = TestCertificates.read("ec-with-key.pem");
        assertThat(ec.thumbprint().hex()).isEqualTo(TestCertificates.EC_THUMBPRINT);
        assertThat(ec.key().orElseThrow().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void whatIsWrittenBackReadsTheSame() throws Exception {
        CertificateMaterial m = TestCertificates.read("rsa.pfx");
        String pem = m.certificatePem() + m.privateKeyPem().orElseThrow();
        CertificateMaterial again = CertificateFiles.read("again", pem.getBytes(StandardCharsets.US_ASCII), null);
        assertThat(again.thumbprint()).isEqualTo(m.thumbprint());
        assertThat(again.key().orElseThrow().getEncoded()).isEqualTo(m.key().orElseThrow().getEncoded());
    }

    @Test
    void badInputIsRefusedWithTheFileAndTheFix() {
        assertThatThrownBy(() -> CertificateFiles.read("rsa.pfx", TestCertificates.fixture("rsa.pfx"),
                "wrong".toCharArray())).isInstanceOf(CertificateRejectedException.class)
                .hasMessageContaining("rsa.pfx").hasMessageContaining("wrong password");
        assertThatThrownBy(() -> CertificateFiles.read("rsa.pfx", TestCertificates.fixture("rsa.pfx"), null))
                .hasMessageContaining("wrong password").hasMessageContaining("--password");
        assertThatThrownBy(() -> TestCertificates.read("mismatched.pem"))
                .hasMessageContaining("does not belong to the certificate CN=fixed.csemu.test");
        assertThatThrownBy(() -> TestCertificates.read("rsa-pkcs1.pem"))
                .hasMessageContaining("old RSA format").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
        assertThatThrownBy(() -> CertificateFiles.read("notes.txt", "hello, not a certificate\n".getBytes(), null))
                .hasMessageContaining("notes.txt is neither a PFX (PKCS#12) file nor PEM text");
        assertThatThrownBy(() -> CertificateFiles.read("key.pem", ("-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n").getBytes(), null)).hasMessageContaining("not a PKCS#8");
        String keyOnly = new String(TestCertificates.fixture("rsa-with-key.pem"), StandardCharsets.US_ASCII);
        keyOnly = keyOnly.substring(keyOnly.indexOf("-----BEGIN PRIVATE KEY"));
        byte[] keyBytes = keyOnly.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> CertificateFiles.read("k.pem", keyBytes, null))
                .hasMessageContaining("k.pem holds no certificate");
        assertThatThrownBy(() -> CertificateFiles.read("empty.pfx", new byte[0], null))
                .hasMessageContaining("empty.pfx is empty");
    }

    @Test
    void thumbprintsCompareCaseInsensitivelyAndIgnoreSpaces() {
        assertThat(Thumbprint.parse("76 3c 98 1f 2c 01 08 e5 37 78 c4 84 a3 26 d4 8e 89 1f 82 f5").hex())
                .isEqualTo(TestCertificates.RSA_THUMBPRINT);
        assertThatThrownBy(() -> Thumbprint.parse("76:3C")).hasMessageContaining("not a SHA-1 thumbprint");
    }
}
