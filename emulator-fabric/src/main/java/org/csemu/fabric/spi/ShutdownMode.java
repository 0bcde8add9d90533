package org.csemu.fabric.spi;

/** How {@link InstanceRuntime#shutdown} stops a domain. */
public enum ShutdownMode {
    /** Ask the guest agent ({@code stopping}), wait its deadline, destroy as the fallback. */
    GRACEFUL,
    /** Destroy at once (hung guest, host failure). */
    FORCE
}
