package org.csemu.lb.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.csemu.lb.PortRequest;
import org.csemu.lb.PortUnavailableException;
import org.csemu.lb.Protocol;

/**
 * Chooses and binds a listener's port: the declared one, or when it is taken or privileged (below 1024 and not
 * allowed), the next free one (a privileged port p is first tried as p + 8000, as {@code 80 -> 8080}); for a range,
 * the first free port in it. Each candidate is checked with a plain socket first, because SO_REUSEPORT listeners
 * would otherwise silently share a port with another process of the same user.
 */
public final class PortBinder {

    /** Binds the listener on one port or throws; the binder moves to the next candidate on failure. */
    @FunctionalInterface
    public interface Attempt<T> {
        T bind(int port) throws Exception;
    }

    private static final int MAX_CANDIDATES = 4096;

    private PortBinder() {
    }

    public static <T> T bind(String host, Protocol protocol, PortRequest request, boolean allowPrivileged,
                             Attempt<T> attempt) {
        InetAddress address = loopback(host);
        Exception last = null;
        if (request.fallbackOutsideRange() && request.min() == 0) {
            try {
                return attempt.bind(0);
            } catch (Exception e) {
                throw new PortUnavailableException("cannot bind " + protocol + " " + host + ": " + e.getMessage(), e);
            }
        }
        int first = request.min();
        int last0 = request.fallbackOutsideRange() ? 65535 : request.max();
        if (first < 1024 && !allowPrivileged) {
            first = request.fallbackOutsideRange() && first + 8000 <= 65535 ? first + 8000 : Math.max(first, 1024);
        }
        int tried = 0;
        for (int p = first; p <= last0 && tried < MAX_CANDIDATES; p++, tried++) {
            if (!isFree(address, protocol, p)) {
                continue;
            }
            try {
                return attempt.bind(p);
            } catch (Exception e) {
                last = e;
            }
        }
        throw new PortUnavailableException("no free " + protocol + " port on " + host + " for " + request
                + (request.fallbackOutsideRange() ? " or after it" : "")
                + (allowPrivileged ? "" : " (ports below 1024 are not allowed)")
                + "; free a port or declare another one", last);
    }

    static boolean isFree(InetAddress address, Protocol protocol, int port) {
        try {
            if (protocol == Protocol.TCP) {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(new InetSocketAddress(address, port), 1);
                }
            } else {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(new InetSocketAddress(address, port));
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetAddress loopback(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isLoopbackAddress()) {
                throw new IllegalArgumentException(host + " is not a loopback address");
            }
            return a;
        } catch (IOException e) {
            throw new IllegalArgumentException("bad VIP address " + host, e);
        }
    }
}
