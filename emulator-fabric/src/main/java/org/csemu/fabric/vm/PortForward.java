package org.csemu.fabric.vm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One QEMU user-mode host forward: {@code hostAddress:hostPort} on the host to {@code guestPort} in the guest.
 * The host address must be a loopback address: csemu never binds anything outside 127.0.0.0/8.
 */
public record PortForward(Protocol protocol, String hostAddress, int hostPort, int guestPort) {

    public enum Protocol {
        TCP, UDP;

        public String qemuName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PortForward {
        Objects.requireNonNull(protocol, "protocol");
        requireLoopback(hostAddress);
        requirePort("host port", hostPort);
        requirePort("guest port", guestPort);
    }

    public static PortForward tcp(String hostAddress, int hostPort, int guestPort) {
        return new PortForward(Protocol.TCP, hostAddress, hostPort, guestPort);
    }

    /** The {@code hostfwd=} value of QEMU's {@code -netdev user}. */
    public String hostfwd() {
        return protocol.qemuName() + ":" + hostAddress + ":" + hostPort + "-:" + guestPort;
    }

    private static void requirePort(String what, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(what + " " + port + " is outside 1..65535");
        }
    }

    private static void requireLoopback(String address) {
        Objects.requireNonNull(address, "hostAddress");
        if (!address.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("host address '" + address + "' must be a literal IPv4 loopback address");
        }
        try {
            if (!InetAddress.getByName(address).isLoopbackAddress()) {
                throw new IllegalArgumentException("host address " + address + " is not in 127.0.0.0/8; csemu binds loopback only");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("invalid host address " + address, e);
        }
    }
}
