package org.csemu.core.model;

/** InputEndpoint@loadBalancerDistribution: which tuple the VIP hashes to pick an instance. */
public enum LoadBalancerDistribution {
    /** {@code none} in XML: the default 5-tuple hash (sticky per transport session only). */
    FIVE_TUPLE("none"),
    /** 2-tuple: source IP, destination IP. */
    SOURCE_IP("sourceIP"),
    /** 3-tuple: source IP, destination IP, protocol. */
    SOURCE_IP_PROTOCOL("sourceIPProtocol");

    private final String xmlValue;

    LoadBalancerDistribution(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}
