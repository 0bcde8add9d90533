package org.csemu.fabric.certificates;

import java.security.cert.X509Certificate;
import java.time.Instant;

/** What the store shows of one certificate: never the key itself, only whether it holds one. */
public record StoredCertificate(String service, Thumbprint thumbprint, String subject, String issuer,
                                Instant notBefore, Instant notAfter, boolean hasPrivateKey, Instant addedAt) {

    static StoredCertificate of(String service, CertificateMaterial m, Instant addedAt) {
        X509Certificate c = m.certificate();
        return new StoredCertificate(service, m.thumbprint(), c.getSubjectX500Principal().getName(),
                c.getIssuerX500Principal().getName(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(),
                m.key().isPresent(), addedAt);
    }
}
