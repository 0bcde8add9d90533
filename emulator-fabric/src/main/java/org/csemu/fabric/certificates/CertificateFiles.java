package org.csemu.fabric.certificates;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads the files a user adds to a store, with the JDK alone: a PFX (PKCS#12, with its password; the certificate of
 * its one private key, or its one certificate) or PEM text (one certificate, optionally its unencrypted PKCS#8
 * private key). A key must belong to the certificate. Every refusal names the file and says what to do.
 */
public final class CertificateFiles {
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA", "DSA");

    private CertificateFiles() {
    }

    /**
     * @param source   the file's name, for messages
     * @param password the PFX password (null or empty: none); ignored for PEM
     */
    public static CertificateMaterial read(String source, byte[] content, char[] password)
            throws CertificateRejectedException {
        if (content == null || content.length == 0) {
            throw new CertificateRejectedException(source + " is empty: give a .pfx or .pem file");
        }
        return Pem.looksLikePem(content) ? pem(source, content) : pfx(source, content, password);
    }

    private static CertificateMaterial pfx(String source, byte[] content, char[] password)
            throws CertificateRejectedException {
        char[] pass = password == null ? new char[0] : password;
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), pass);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new CertificateRejectedException(source + ": wrong password for this PFX file"
                        + (pass.length == 0 ? " (none was given: add --password)" : ""), e);
            }
            throw new CertificateRejectedException(source + " is neither a PFX (PKCS#12) file nor PEM text ("
                    + e.getMessage() + "); give the certificate as .pfx or .pem", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateRejectedException(source + ": cannot read the PFX file: " + e.getMessage(), e);
        }
        try {
            List<String> keys = new ArrayList<>();
            List<String> certificates = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keys.add(alias);
                } else if (store.isCertificateEntry(alias)) {
                    certificates.add(alias);
                }
            }
            if (keys.size() > 1) {
                throw new CertificateRejectedException(source + " holds " + keys.size() + " private keys " + keys
                        + "; export one certificate with its key per file");
            }
            if (keys.size() == 1) {
                Key key = store.getKey(keys.get(0), pass);
                X509Certificate certificate = x509(source, store.getCertificate(keys.get(0)));
                if (!(key instanceof PrivateKey privateKey)) {
                    throw new CertificateRejectedException(source + ": the key entry holds no private key");
                }
                KeyPairCheck.requireMatch(certificate, privateKey, source);
                return new CertificateMaterial(certificate, privateKey);
            }
            if (certificates.size() == 1) {
                return new CertificateMaterial(x509(source, store.getCertificate(certificates.get(0))), null);
            }
            throw new CertificateRejectedException(source + " holds " + (certificates.isEmpty() ? "no certificate"
                    : certificates.size() + " certificates and no private key") + "; export one certificate per file");
        } catch (UnrecoverableKeyException e) {
            throw new CertificateRejectedException(source + ": wrong password for the private key in this PFX file", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateRejectedException(source + ": cannot read the PFX file: " + e.getMessage(), e);
        }
    }

    private static CertificateMaterial pem(String source, byte[] content) throws CertificateRejectedException {
        X509Certificate certificate = null;
        PrivateKey key = null;
        for (Pem.Block block : Pem.blocks(content)) {
            switch (block.label()) {
                case "CERTIFICATE" -> {
                    if (certificate != null) {
                        throw new CertificateRejectedException(source + " holds more than one certificate; give one"
                                + " certificate (and its key) per file");
                    }
                    certificate = parseCertificate(source, block.der());
                }
                case "PRIVATE KEY" -> {
                    if (key != null) {
                        throw new CertificateRejectedException(source + " holds more than one private key");
                    }
                    key = parseKey(source, block.der());
                }
                case "ENCRYPTED PRIVATE KEY" -> throw new CertificateRejectedException(source
                        + ": the private key is encrypted; write it unencrypted (openssl pkcs8 -topk8 -nocrypt) or"
                        + " give a PFX file with its password");
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new CertificateRejectedException(source
                        + ": the private key is in the old " + block.label().replace(" PRIVATE KEY", "")
                        + " format; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key8.pem");
                default -> throw new CertificateRejectedException(source + ": unexpected PEM block '"
                        + block.label() + "'; a .pem holds one CERTIFICATE and optionally one PRIVATE KEY");
            }
        }
        if (certificate == null) {
            throw new CertificateRejectedException(source + " holds no certificate (no -----BEGIN CERTIFICATE-----"
                    + " block); give the certificate as .pfx or .pem");
        }
        if (key != null) {
            KeyPairCheck.requireMatch(certificate, key, source);
        }
        return new CertificateMaterial(certificate, key);
    }

    private static X509Certificate parseCertificate(String source, byte[] der) throws CertificateRejectedException {
        try {
            return x509(source, CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der)));
        } catch (CertificateException e) {
            throw new CertificateRejectedException(source + ": the CERTIFICATE block is not an X.509 certificate ("
                    + e.getMessage() + ")", e);
        }
    }

    private static PrivateKey parseKey(String source, byte[] der) throws CertificateRejectedException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new CertificateRejectedException(source + ": the PRIVATE KEY block is not a PKCS#8 RSA, EC, EdDSA or"
                + " DSA key");
    }

    private static X509Certificate x509(String source, java.security.cert.Certificate c)
            throws CertificateRejectedException {
        if (c instanceof X509Certificate x) {
            return x;
        }
        throw new CertificateRejectedException(source + " holds a " + (c == null ? "missing" : c.getType())
                + " certificate; csemu stores X.509 certificates only");
    }
}
