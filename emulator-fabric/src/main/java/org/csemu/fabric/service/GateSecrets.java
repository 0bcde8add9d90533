package org.csemu.fabric.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret each role of a deployment proves at the other roles' traffic gates: HMAC-SHA256 of
 * {@code <deployment id>/<role>} under a random key kept in the data directory ({@code gate.key}, 0600, made on first
 * use). Derived rather than stored per deployment, so it is the same after a restart or a reimage and needs no
 * state of its own; a host process cannot compute it without the key, which only the daemon's user reads.
 */
public final class GateSecrets {
    static final String KEY_FILE = "gate.key";

    private final Path keyFile;
    private volatile byte[] key;

    public GateSecrets(Path dataDir) {
        this.keyFile = dataDir.resolve(KEY_FILE);
    }

    /** 32 hex digits: what the role's proxies send and the gates that allow the role accept. */
    public String of(String deploymentId, String role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(), "HmacSHA256"));
            byte[] tag = mac.doFinal((deploymentId + "/" + role).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private byte[] key() {
        byte[] k = key;
        if (k == null) {
            synchronized (this) {
                if (key == null) {
                    key = loadOrCreate();
                }
                k = key;
            }
        }
        return k;
    }

    private byte[] loadOrCreate() {
        try {
            if (!Files.exists(keyFile)) {
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Files.createDirectories(keyFile.getParent());
                Path temp = Files.createTempFile(keyFile.getParent(), ".gate.key.", ".new",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.write(temp, HexFormat.of().formatHex(fresh).getBytes(StandardCharsets.US_ASCII),
                            StandardOpenOption.SYNC);
                    Files.createLink(keyFile, temp); // whole or not at all, and never over another's key
                } catch (FileAlreadyExistsException raced) {
                    // another daemon of this data directory made it first: use theirs
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
            String hex = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalStateException(keyFile + " is damaged (not 64 hex digits): remove it; every "
                        + "deployment's instances then need a reboot to learn the new secrets");
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + keyFile + ": " + e.getMessage(), e);
        }
    }
}
