package org.csemu.fabric.certificates;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM (RFC 7468) text: the blocks of a file, and the two blocks csemu writes (a certificate, a PKCS#8 key). */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s:,-]*?)-----END \\1-----", Pattern.DOTALL);

    /** One block: its label ({@code CERTIFICATE}, {@code PRIVATE KEY}, ...) and its decoded content. */
    record Block(String label, byte[] der) {
    }

    private Pem() {
    }

    static boolean looksLikePem(byte[] content) {
        return new String(content, StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    /** Every block in the text, in order; a block whose base64 is broken is refused. */
    static List<Block> blocks(byte[] content) throws CertificateRejectedException {
        String text = new String(content, StandardCharsets.US_ASCII);
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            if (body.contains(":")) {
                throw new CertificateRejectedException("the " + m.group(1) + " block is encrypted (it has PEM"
                        + " headers); write it unencrypted: openssl pkcs8 -topk8 -nocrypt -in key.pem -out plain.pem");
            }
            try {
                out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(body)));
            } catch (IllegalArgumentException e) {
                throw new CertificateRejectedException("the " + m.group(1) + " block is not valid base64", e);
            }
        }
        return out;
    }

    static String certificate(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode the certificate: " + e.getMessage(), e);
        }
    }

    static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalStateException("the private key is not PKCS#8 encodable (" + key.getFormat() + ")");
        }
        return encode("PRIVATE KEY", key.getEncoded());
    }

    private static String encode(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
