package org.csemu.fabric.api;

import java.time.Instant;
import java.util.List;

/**
 * A certificate in a hosted service's store (never its private key).
 *
 * @param thumbprint    SHA-1, 40 upper-case hex digits, as a {@code .cscfg} names it
 * @param hasPrivateKey whether the store holds its private key (instances then get the key too)
 * @param usedBy        the deployments whose configuration names it (removal is refused while any does)
 */
public record CertificateView(String service, String thumbprint, String thumbprintAlgorithm, String subject,
        String issuer, Instant notBefore, Instant notAfter, boolean hasPrivateKey, Instant addedAt,
        List<String> usedBy) {
    public CertificateView {
        usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
    }
}
