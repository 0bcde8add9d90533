package org.csemu.fabric.certificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.csemu.core.util.FileTrees;
import org.csemu.fabric.util.ProcessRunner;

/**
 * Makes a self-signed certificate with its private key for local work, with the JDK's own {@code keytool} (the one
 * beside the running JVM): RSA 2048, SHA-256, valid for a year, subject {@code CN=<name>}, and the name as a DNS
 * subject alternative name when it is a host name, for TLS. No certificate library is needed: keytool writes a
 * PKCS#12 file in a private temporary directory, {@link CertificateFiles} reads it back. {@code localhost} and
 * {@code 127.0.0.1} are alternative names too: the VIP answers on loopback, and a client that checks host names
 * ({@code curl --cacert}) then accepts the certificate there.
 */
public final class SelfSignedCertificates {
    private static final String HOST_NAME = "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*";
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final Path keytool;
    private final Path tempRoot;

    /** With the keytool of the running JDK; temporary files under {@code tempRoot}. */
    public SelfSignedCertificates(Path tempRoot) {
        this(Path.of(System.getProperty("java.home"), "bin", "keytool"), tempRoot);
    }

    SelfSignedCertificates(Path keytool, Path tempRoot) {
        this.keytool = keytool;
        this.tempRoot = tempRoot;
    }

    /** A new certificate named {@code name} (the subject's CN). */
    public CertificateMaterial create(String name) throws CertificateRejectedException, IOException {
        if (name == null || !name.matches("[A-Za-z0-9*][A-Za-z0-9.*_-]{0,63}")) {
            throw new CertificateRejectedException("self-signed certificate name '" + name + "' is not allowed: use"
                    + " letters, digits, '.', '-', '_' (a host name such as www.contoso.local, at most 64)");
        }
        if (!Files.isExecutable(keytool)) {
            throw new IOException("the JDK's keytool is missing (" + keytool + "); install a full JDK 17");
        }
        Files.createDirectories(tempRoot);
        Path dir = Files.createTempDirectory(tempRoot, "selfsigned-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path store = dir.resolve("certificate.p12");
            String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
            List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                    "-alias", "csemu", "-keyalg", "RSA", "-keysize", "2048", "-sigalg", "SHA256withRSA",
                    "-validity", "365", "-dname", "CN=" + name, "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", password, "-keypass", password,
                    "-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth,clientAuth"));
            command.addAll(List.of("-ext", "san=" + (name.matches(HOST_NAME) && !name.equals("localhost")
                    ? "dns:" + name + "," : "") + "dns:localhost,ip:127.0.0.1"));
            ProcessRunner.Result result;
            try {
                result = ProcessRunner.run(TIMEOUT, dir, command);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while keytool made the certificate", e);
            }
            if (!result.ok()) {
                throw new IOException("keytool failed (exit " + result.exitCode() + "): "
                        + (result.stderr() + result.stdout()).strip());
            }
            return CertificateFiles.read("self-signed " + name, Files.readAllBytes(store), password.toCharArray());
        } finally {
            FileTrees.delete(dir);
        }
    }
}
