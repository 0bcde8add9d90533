package org.csemu.fabric.certificates;

/** A certificate file that cannot be stored: not a certificate, a wrong password, a key that does not match. */
public final class CertificateRejectedException extends Exception {
    public CertificateRejectedException(String message) {
        super(message);
    }

    public CertificateRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
