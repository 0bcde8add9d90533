package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.csemu.fabric.util.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer token of the management API: 32 random bytes, base64url, in a file only its owner can read. Whoever
 * can read the file may drive the fabric, exactly as whoever may read the data directory.
 */
public final class ApiToken {

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private ApiToken() {
    }

    /** Reads the token, creating it on first start; a file readable by others is tightened to 0600. */
    public static String loadOrCreate(Path file) throws IOException {
        // the logger is the daemon's: the CLI, which only calls read(), must not pay for starting Logback
        Logger log = LoggerFactory.getLogger(ApiToken.class);
        if (Files.exists(file)) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(perms)) {
                log.warn("{} had mode {}; setting it to rw------- (rotate the token if others may have read it:"
                        + " delete the file and restart the daemon)", file, PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            String token = read(file);
            if (token.length() >= 16) {
                return token;
            }
            log.warn("{} holds no usable token; generating a new one", file);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        AtomicFiles.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), "rw-------");
        log.info("generated a new API token in {}", file);
        return token;
    }

    /** The token in {@code file}, trimmed (clients call this). */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
