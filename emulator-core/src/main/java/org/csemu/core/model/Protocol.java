package org.csemu.core.model;

/** Endpoint protocols; which ones are allowed depends on the endpoint kind (validated, not typed). */
public enum Protocol {
    HTTP("http"),
    HTTPS("https"),
    TCP("tcp"),
    UDP("udp"),
    ANY("any");

    private final String xmlValue;

    Protocol(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }

    /** True for the protocols carried over TCP (http and https are TCP at the load balancer). */
    public boolean isTcpBased() {
        return this == HTTP || this == HTTPS || this == TCP;
    }
}
