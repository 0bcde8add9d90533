package org.csemu.fabric.instance;

/** Told about every observation of an instance (on the agent or hypervisor thread: return quickly). */
@FunctionalInterface
public interface InstanceObserver {
    void onObservation(InstanceVm instance, Observation observation);
}
