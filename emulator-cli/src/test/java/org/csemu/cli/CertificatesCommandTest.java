package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.csemu.cli.testing.EmptyFabricFactory;
import org.csemu.fabric.certificates.CertificateMaterial;
import org.csemu.fabric.certificates.SelfSignedCertificates;
import org.csemu.fabric.daemon.Daemon;
import org.csemu.fabric.daemon.DaemonOptions;
import org.csemu.fabric.daemon.DataDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code csemu certificates add|list|rm} against a real in-process daemon and its real store: the thumbprint on
 * stdout (scriptable), the table, and a non-zero exit with the reason for bad input.
 */
class CertificatesCommandTest {
    @TempDir
    Path tmp;

    @Test
    void addsListsAndRemovesAndRefusesBadInput() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        String data = dir.root().toString();
        try (Daemon daemon = Daemon.start(new DaemonOptions(dir, 0, null, false, false), new EmptyFabricFactory())) {
            CliRun self = CliRun.of("certificates", "add", "--data-dir", data, "--self-signed", "www.hello.test",
                    "HelloWeb");
            assertThat(self.exitCode()).as(self.err()).isEqualTo(ExitCodes.OK);
            String thumbprint = self.out().strip();
            assertThat(thumbprint).matches("[0-9A-F]{40}");
            assertThat(self.err()).contains("CN=www.hello.test", "with its private key",
                    "thumbprint=\"" + thumbprint + "\"");

            CertificateMaterial a = new SelfSignedCertificates(tmp).create("a.test");
            CertificateMaterial b = new SelfSignedCertificates(tmp).create("b.test");
            Path pem = Files.writeString(tmp.resolve("a.pem"), a.certificatePem() + a.privateKeyPem().orElseThrow());
            CliRun file = CliRun.of("certificates", "add", "--data-dir", data, "HelloWeb", pem.toString());
            assertThat(file.exitCode()).as(file.err()).isEqualTo(ExitCodes.OK);
            assertThat(file.out().strip()).isEqualTo(a.thumbprint().hex());

            CliRun list = CliRun.of("certificates", "list", "--data-dir", data, "HelloWeb");
            assertThat(list.out()).contains("THUMBPRINT", thumbprint, a.thumbprint().hex(), "CN=a.test");

            Path mismatched = Files.writeString(tmp.resolve("bad.pem"), a.certificatePem() + b.privateKeyPem().orElseThrow());
            CliRun bad = CliRun.of("certificates", "add", "--data-dir", data, "HelloWeb", mismatched.toString());
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(bad.err()).contains("bad.pem: the private key does not belong to the certificate CN=a.test");
            Path text = Files.writeString(tmp.resolve("notes.txt"), "not a certificate");
            assertThat(CliRun.of("certificates", "add", "--data-dir", data, "HelloWeb", text.toString()).err())
                    .contains("notes.txt is neither a PFX");
            assertThat(CliRun.of("certificates", "add", "--data-dir", data, "HelloWeb").exitCode())
                    .isEqualTo(ExitCodes.USAGE);

            CliRun rm = CliRun.of("certificates", "rm", "--data-dir", data, "HelloWeb", thumbprint.toLowerCase());
            assertThat(rm.exitCode()).as(rm.err()).isEqualTo(ExitCodes.OK);
            CliRun again = CliRun.of("certificates", "rm", "--data-dir", data, "HelloWeb", thumbprint);
            assertThat(again.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(again.err()).contains("has no certificate " + thumbprint);
            assertThat(CliRun.of("certificates", "list", "--data-dir", data, "HelloWeb").out())
                    .doesNotContain(thumbprint).contains(a.thumbprint().hex());
        }
    }
}
