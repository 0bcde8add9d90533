package org.csemu.core.model;

import java.util.List;

/**
 * An instance-to-instance endpoint (not on the VIP).
 *
 * @param port       {@link InputEndpoint#AUTO_PORT} when omitted or {@code *}
 * @param fixedPorts FixedPort and FixedPortRange children, in document order
 */
public record InternalEndpoint(String name, Protocol protocol, int port, List<PortRange> fixedPorts, SourceLocation location) {

    public InternalEndpoint {
        fixedPorts = List.copyOf(fixedPorts);
    }
}
