package org.csemu.core.roleenv;

import java.util.OptionalInt;

/**
 * The ports the fabric chose, which only it knows: the guest-side port of endpoints declared with
 * {@code localPort="*"} (or internal endpoints without a port), and the port on the host's 127.0.0.1 that is forwarded
 * to an instance's endpoint so that other guests reach it through the user-mode gateway.
 */
public interface EndpointPorts {

    /** The local port assigned to an endpoint whose definition leaves it to the fabric; empty when none was. */
    OptionalInt assignedLocalPort(String instanceId, String endpointName);

    /**
     * The host port on 127.0.0.1 forwarded to {@code (instanceId, endpointName)}; empty when that endpoint is not
     * reachable from other guests (then it is left out of their documents).
     */
    OptionalInt peerPort(String instanceId, String endpointName);

    /** No assignments: only fixed ports, and no peer endpoints. */
    EndpointPorts NONE = new EndpointPorts() {
        @Override
        public OptionalInt assignedLocalPort(String instanceId, String endpointName) {
            return OptionalInt.empty();
        }

        @Override
        public OptionalInt peerPort(String instanceId, String endpointName) {
            return OptionalInt.empty();
        }
    };
}
