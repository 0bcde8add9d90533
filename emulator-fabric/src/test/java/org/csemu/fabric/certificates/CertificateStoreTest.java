package org.csemu.fabric.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on disk: one 0600 file per thumbprint under a 0700 directory per service; add, list, find, remove. */
class CertificateStoreTest {
    @TempDir
    Path data;

    @Test
    void storesListsFindsAndRemovesByThumbprint() throws Exception {
        CertificateStore store = new CertificateStore(data);
        assertThat(store.list("HelloWeb")).isEmpty();
        StoredCertificate added = store.add("HelloWeb", TestCertificates.read("rsa.pfx"));
        assertThat(added.thumbprint().hex()).isEqualTo(TestCertificates.RSA_THUMBPRINT);
        assertThat(added.hasPrivateKey()).isTrue();
        store.add("HelloWeb", TestCertificates.read("rsa-only.pem")); // the same certificate: replaced, still one
        store.add("HelloWeb", TestCertificates.read("ec-with-key.pem"));

        Path file = data.resolve("certificates/HelloWeb/" + TestCertificates.EC_THUMBPRINT + ".pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("certificates"))))
                .isEqualTo("rwx------");
        assertThat(store.list("HelloWeb")).extracting(c -> c.thumbprint().hex())
                .containsExactly(TestCertificates.RSA_THUMBPRINT, TestCertificates.EC_THUMBPRINT);
        assertThat(store.list("Other")).isEmpty();

        Thumbprint lower = Thumbprint.parse(TestCertificates.EC_THUMBPRINT.toLowerCase());
        assertThat(store.contains("HelloWeb", lower)).isTrue();
        assertThat(store.find("HelloWeb", lower).orElseThrow().key()).isPresent();
        assertThat(store.find("Other", lower)).isEmpty();

        assertThat(store.remove("HelloWeb", lower)).isTrue();
        assertThat(store.remove("HelloWeb", lower)).isFalse();
        assertThat(store.list("HelloWeb")).hasSize(1);
    }

    @Test
    void aServiceNameThatIsNotAPathSegmentIsEncodedAndAnEditedFileIsRefused() throws Exception {
        CertificateStore store = new CertificateStore(data);
        store.add("../escape", TestCertificates.read("rsa-only.pem"));
        assertThat(store.directory("../escape").getParent()).isEqualTo(data.resolve("certificates"));
        assertThat(store.list("../escape")).hasSize(1);
        assertThatThrownBy(() -> store.directory(" ")).hasMessageContaining("ServiceDefinition@name");

        store.add("Svc", TestCertificates.read("rsa-only.pem"));
        Files.writeString(data.resolve("certificates/Svc/" + TestCertificates.RSA_THUMBPRINT + ".pem"), "garbage");
        assertThatThrownBy(() -> store.list("Svc")).hasMessageContaining("is damaged")
                .hasMessageContaining("csemu certificates rm");
    }

    @Test
    void aSelfSignedCertificateHasItsKeyTheNameAndADnsName() throws Exception {
        CertificateMaterial m = TestCertificates.selfSigned("www.cert.test");
        assertThat(m.key()).isPresent();
        assertThat(m.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=www.cert.test");
        assertThat(m.certificate().getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1))
                .as("the name, and the loopback names the VIP answers on").containsExactly((Object) "www.cert.test",
                        "localhost", "127.0.0.1");
        assertThat(m.certificate().getNotAfter().toInstant())
                .isAfter(m.certificate().getNotBefore().toInstant().plus(java.time.Duration.ofDays(364)));
        assertThatThrownBy(() -> new SelfSignedCertificates(data).create("CN=x, O=evil"))
                .isInstanceOf(CertificateRejectedException.class).hasMessageContaining("is not allowed");
    }
}
