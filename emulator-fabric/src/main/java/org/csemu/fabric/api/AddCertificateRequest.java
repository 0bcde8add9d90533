package org.csemu.fabric.api;

import java.util.Objects;

/**
 * A certificate to add to a hosted service's store: exactly one of the file's content (sent by the client), a file
 * on the daemon's host, or a self-signed certificate the daemon makes.
 *
 * @param source     the file's name, for messages
 * @param password   the PFX password, or null
 * @param selfSigned the subject name (CN) of a self-signed certificate to make, or null
 */
public record AddCertificateRequest(String service, String source, byte[] content, UploadedFile file,
        char[] password, String selfSigned) {
    public AddCertificateRequest {
        Objects.requireNonNull(service, "service");
        int given = (content != null ? 1 : 0) + (file != null ? 1 : 0) + (selfSigned != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException("give exactly one of the certificate's content, a file, or a"
                    + " self-signed name");
        }
    }

    @Override
    public String toString() { // never the password or the key material
        return "AddCertificateRequest[" + service + ", " + (selfSigned != null ? "self-signed " + selfSigned : source)
                + "]";
    }
}
