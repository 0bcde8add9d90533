package org.csemu.fabric.api.server;

import java.util.Locale;
import java.util.Set;

/**
 * DNS-rebinding protection: a web page on an attacker's domain that resolves to 127.0.0.1 still sends its own
 * name in {@code Host} and its own origin in {@code Origin}, so both must name this server on loopback.
 */
public final class HostOriginPolicy {

    private final Set<String> allowedHosts;

    public HostOriginPolicy(int port) {
        this.allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    /** {@code Host} must be one of {@code 127.0.0.1:<port>}, {@code localhost:<port>}, {@code [::1]:<port>}. */
    public boolean isAllowedHost(String host) {
        return host != null && allowedHosts.contains(host.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * An absent {@code Origin} is fine (non-browser clients send none); a present one must be {@code http://} and
     * the same host and port as {@code Host} ({@code Origin: null} from sandboxed frames is refused).
     */
    public boolean isAllowedOrigin(String origin, String host) {
        if (origin == null) {
            return true;
        }
        if (!isAllowedHost(host)) {
            return false;
        }
        return origin.trim().toLowerCase(Locale.ROOT).equals("http://" + host.trim().toLowerCase(Locale.ROOT));
    }
}
