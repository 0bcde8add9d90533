package org.csemu.fabric.vm;

/** Receives lifecycle events; called on the driver's event thread, so implementations must return quickly. */
@FunctionalInterface
public interface HypervisorListener {
    void onEvent(HypervisorEvent event);
}
