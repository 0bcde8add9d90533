package org.csemu.fabric.api.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks the API token in constant time: {@code Authorization: Bearer <token>}, or, for a browser's WebSocket (which
 * cannot set that header), the offered subprotocol {@code csemu-token.<token in base64url>} — the way Kubernetes'
 * API server takes a bearer token from a browser's WebSocket.
 */
public final class BearerToken {
    /** Prefix of the subprotocol that carries the token on a WebSocket upgrade. */
    public static final String WEBSOCKET_PROTOCOL_PREFIX = "csemu-token.";

    private final byte[] expected;

    public BearerToken(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String authorizationHeader) {
        if (authorizationHeader == null) {
            return false;
        }
        String h = authorizationHeader.trim();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = h.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    /** True when one of the offered subprotocols ({@code Sec-WebSocket-Protocol}) is the token's. */
    public boolean matchesWebSocketProtocols(String secWebSocketProtocol) {
        if (secWebSocketProtocol == null) {
            return false;
        }
        boolean found = false;
        for (String offered : secWebSocketProtocol.split(",")) {
            String p = offered.trim();
            if (!p.startsWith(WEBSOCKET_PROTOCOL_PREFIX)) {
                continue;
            }
            try {
                byte[] given = Base64.getUrlDecoder().decode(p.substring(WEBSOCKET_PROTOCOL_PREFIX.length()));
                found |= MessageDigest.isEqual(expected, given);
            } catch (IllegalArgumentException e) {
                // not base64url: not the token
            }
        }
        return found;
    }
}
