package org.csemu.fabric.deployment;

import java.time.Instant;
import org.csemu.fabric.lifecycle.InstanceState;

/**
 * What the fabric last knew about an instance.
 *
 * @param epoch          counts transitions: a timer armed in one epoch is stale in the next
 * @param startFailures  consecutive failed starts (startup task failures), reset at Ready; drives the back-off
 * @param detail         the cause of the last transition (InstanceStateDetails)
 * @param errorCode      InstanceErrorCode: the last transition's trigger's code ({@link
 *                       org.csemu.fabric.lifecycle.Trigger#errorCode()}), or null
 */
public record ObservedInstance(InstanceState state, Instant since, long epoch, int startFailures, String detail,
                               String errorCode) {
    public ObservedInstance(InstanceState state, Instant since, long epoch, int startFailures, String detail) {
        this(state, since, epoch, startFailures, detail, null);
    }
}
