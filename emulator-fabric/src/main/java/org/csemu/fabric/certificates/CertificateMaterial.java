package org.csemu.fabric.certificates;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate and, when its file held one, the private key that belongs to it (checked by {@link KeyPairCheck}
 * before this is built from a file).
 */
public record CertificateMaterial(X509Certificate certificate, PrivateKey privateKey) {

    public CertificateMaterial {
        Objects.requireNonNull(certificate, "certificate");
    }

    public Thumbprint thumbprint() {
        return Thumbprint.of(certificate);
    }

    public Optional<PrivateKey> key() {
        return Optional.ofNullable(privateKey);
    }

    /** The certificate as a PEM block. */
    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** The private key as an unencrypted PKCS#8 PEM block, if there is one. */
    public Optional<String> privateKeyPem() {
        return key().map(Pem::privateKey);
    }
}
