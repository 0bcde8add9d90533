package org.csemu.lb;

/**
 * How a new flow picks its backend, as the model's {@code loadBalancerDistribution} promises it. Every mode hashes the
 * named tuple with rendezvous (highest-random-weight) hashing over the backends in rotation, so the same tuple lands
 * on the same backend while the rotation is unchanged, and a rotation change remaps only the flows of the backends
 * that joined or left.
 */
public enum Distribution {
    /** {@code none} in the model: source address and port, destination address and port, protocol. */
    FIVE_TUPLE,
    /** {@code sourceIP}: source address and destination address. */
    SOURCE_IP,
    /** {@code sourceIPProtocol}: source address, destination address and protocol. */
    SOURCE_IP_PROTOCOL
}
