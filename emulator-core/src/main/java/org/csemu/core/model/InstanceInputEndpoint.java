package org.csemu.core.model;

/**
 * A per-instance public port on the VIP: each instance gets one port from {@code publicPortRange}, forwarding to
 * {@code localPort} on that instance alone.
 */
public record InstanceInputEndpoint(
        String name,
        Protocol protocol,
        int localPort,
        PortRange publicPortRange,
        int idleTimeoutInMinutes,
        SourceLocation location) {
}
