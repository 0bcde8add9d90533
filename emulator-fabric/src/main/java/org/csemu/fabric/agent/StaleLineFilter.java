package org.csemu.fabric.agent;

import java.util.HashSet;
import java.util.Set;

/**
 * Drops lines that belong to the past. A guest write that was blocked when the host disconnected is delivered to
 * the next reader, possibly after the guest rebooted, so a line is accepted only when it is newer than what was
 * seen: same boot with a higher seq, or a boot id never seen before. A boot is retired once another boot's
 * {@code hello} (or, when adopting a running guest, any line of another boot) took over; its lines are dropped.
 */
public final class StaleLineFilter {

    private String currentBoot;
    private long lastSeq;
    private final Set<String> retiredBoots = new HashSet<>();

    /** True when the message is new and should be delivered; updates the filter's view. */
    public synchronized boolean accept(AgentMessage message) {
        AgentMessage.Header h = message.header();
        if (h.boot().equals(currentBoot)) {
            if (h.seq() <= lastSeq) {
                return false;
            }
            lastSeq = h.seq();
            return true;
        }
        if (retiredBoots.contains(h.boot())) {
            return false;
        }
        if (currentBoot != null) {
            retiredBoots.add(currentBoot);
        }
        currentBoot = h.boot();
        lastSeq = h.seq();
        return true;
    }

    public synchronized String currentBoot() {
        return currentBoot;
    }
}
