package org.csemu.fabric.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Failures a test can inject into one instance, to watch the fabric recover the way the cloud would. */
public enum FaultKind {
    /** The "hardware" fails: the instance comes back on new hardware with a fresh OS disk and no local data. */
    HOST_FAILURE,
    /**
     * The guest kernel panics (Alt+SysRq+C through libvirt; the guest's pvpanic device reports it and the domain is
     * destroyed): out of rotation at once, restarted with its disks.
     */
    GUEST_CRASH,
    /** The QEMU process is killed from the host. */
    KILL_QEMU,
    /** The guest agent stops answering (heartbeats stop): the instance must become UnresponsiveRole. */
    AGENT_HANG,
    /** The domain's vCPUs are paused (a hung VM): heartbeats stop, the instance becomes UnresponsiveRole. */
    PAUSE,
    /** The next boot of the instance fails (for example after a reimage): the fabric retries on new hardware. */
    FAIL_NEXT_BOOT;

    /** The kebab-case word used in JSON ({@code host-failure}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FaultKind fromWireName(String s) {
        for (FaultKind k : values()) {
            if (k.wireName().equals(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + s + "' (known: "
                + Arrays.stream(values()).map(FaultKind::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
