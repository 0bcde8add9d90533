package org.csemu.lb;

/**
 * Transport of a listener. The service model's {@code http}, {@code https} and {@code tcp} input endpoints are all
 * forwarded at layer 4 as {@link #TCP} (https passes through: the certificate lives in the guest).
 */
public enum Protocol {
    TCP(6), UDP(17);

    private final int ipProtocolNumber;

    Protocol(int ipProtocolNumber) {
        this.ipProtocolNumber = ipProtocolNumber;
    }

    /** The IP protocol number, part of the 3- and 5-tuple distribution hashes. */
    public int ipProtocolNumber() {
        return ipProtocolNumber;
    }
}
