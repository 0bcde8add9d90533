package org.csemu.fabric.certificates;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate's SHA-1 thumbprint in the form the {@code .cscfg} writes it: 40 upper-case hex digits. Configurations
 * may write it in lower case or with spaces (CSCFG104 warns); {@link #parse} accepts both, so every comparison is
 * case-insensitive by construction.
 */
public record Thumbprint(String hex) {

    public Thumbprint {
        if (hex == null || !hex.matches("[0-9A-F]{40}")) {
            throw new IllegalArgumentException("a thumbprint is 40 upper-case hex digits, not '" + hex + "'");
        }
    }

    /** The thumbprint as written in a configuration or on a command line: whitespace dropped, case ignored. */
    public static Thumbprint parse(String text) {
        String compact = text == null ? "" : text.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (!compact.matches("[0-9A-F]{40}")) {
            throw new IllegalArgumentException("'" + text + "' is not a SHA-1 thumbprint (40 hex digits)");
        }
        return new Thumbprint(compact);
    }

    /** The SHA-1 of the certificate's DER encoding, as Windows and the cloud compute it. */
    public static Thumbprint of(X509Certificate certificate) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
            return new Thumbprint(HexFormat.of().withUpperCase().formatHex(sha1));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute a SHA-1 thumbprint: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
