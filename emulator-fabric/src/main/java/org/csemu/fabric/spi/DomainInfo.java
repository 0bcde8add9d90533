package org.csemu.fabric.spi;

/**
 * One csemu instance the substrate still has (a domain, or just its disks), as read back from the csemu metadata
 * of the domain, for recovery after a daemon restart.
 *
 * @param fabricId          the id of the data directory that created it; recovery never touches other fabrics'
 * @param overlayGeneration the overlay generation recorded in the metadata when the overlay was created
 */
public record DomainInfo(InstanceRef ref, String fabricId, long overlayGeneration, Power power) {

    /** What the substrate found. */
    public enum Power {
        RUNNING,
        PAUSED,
        /** Defined but not running. */
        SHUT_OFF,
        /** No domain, but disks of the instance are still on disk. */
        DISKS_ONLY
    }
}
