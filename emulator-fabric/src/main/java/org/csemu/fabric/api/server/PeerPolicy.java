package org.csemu.fabric.api.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Only this machine may talk to the fabric: a TCP peer must have a loopback address (127.0.0.0/8, ::1); a unix
 * socket peer is trusted because the socket file is mode 0600. The server binds loopback only, so this is the
 * second line of defence (a misconfigured bind, a forwarded port).
 */
public final class PeerPolicy {

    private PeerPolicy() {
    }

    /** Whether a connection from {@code remote} may be served; {@code unixSocket} for a domain-socket channel. */
    public static boolean isAllowed(SocketAddress remote, boolean unixSocket) {
        if (unixSocket) {
            return true;
        }
        if (remote instanceof InetSocketAddress inet) {
            return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        }
        return false;
    }
}
