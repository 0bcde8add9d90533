package org.csemu.fabric.certificates;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a private key belongs to a certificate: it signs a random challenge and the certificate's public key must
 * verify it. One test for every key type the JDK signs with (RSA, EC, EdDSA, DSA), no algorithm-specific maths.
 */
final class KeyPairCheck {

    private KeyPairCheck() {
    }

    static void requireMatch(X509Certificate certificate, PrivateKey key, String source)
            throws CertificateRejectedException {
        String algorithm = signatureAlgorithm(key);
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false; // e.g. an RSA key against an EC certificate
        }
        if (!matches) {
            throw new CertificateRejectedException(source + ": the private key does not belong to the certificate "
                    + certificate.getSubjectX500Principal().getName() + " (" + Thumbprint.of(certificate)
                    + "); give the key that was made with it");
        }
    }

    private static String signatureAlgorithm(PrivateKey key) throws CertificateRejectedException {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> throw new CertificateRejectedException("private keys of type " + key.getAlgorithm()
                    + " are not supported: use an RSA, EC, EdDSA or DSA key");
        };
    }
}
