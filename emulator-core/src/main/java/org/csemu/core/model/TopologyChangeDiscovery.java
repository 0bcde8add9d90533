package org.csemu.core.model;

/** How instances learn of a topology change: after their upgrade domain is walked, or all at once. */
public enum TopologyChangeDiscovery {
    UPGRADE_DOMAIN_WALK("UpgradeDomainWalk"),
    BLAST("Blast");

    private final String xmlValue;

    TopologyChangeDiscovery(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    public String xmlValue() {
        return xmlValue;
    }
}
