package org.csemu.fabric.vm;

import java.time.Instant;

/**
 * A lifecycle event of a domain (or of the connection itself). {@code detail} keeps libvirt's detail for logs.
 * A guest crash or a killed QEMU arrives as {@link Kind#CRASHED}; a guest-initiated reboot as {@link Kind#REBOOTED}
 * (the domain keeps running).
 */
public record HypervisorEvent(String uri, String domainName, Kind kind, String detail, Instant at) {

    public enum Kind {
        DEFINED, UNDEFINED, STARTED, SUSPENDED, RESUMED,
        /** The domain is shutting down (destroy or guest poweroff); STOPPED follows. */
        SHUTDOWN,
        /** Stopped normally: guest poweroff or destroy. */
        STOPPED,
        /** Stopped abnormally: QEMU died (killed, crashed) or the guest crashed. */
        CRASHED,
        REBOOTED,
        /** The connection to the hypervisor was lost; events may have been missed, re-list domains. */
        CONNECTION_LOST,
        /** The connection is back; listeners are registered again. Re-list domains to catch up. */
        RECONNECTED
    }
}
