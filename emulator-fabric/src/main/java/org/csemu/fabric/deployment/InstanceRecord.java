package org.csemu.fabric.deployment;

/**
 * The desired state of one instance.
 *
 * @param overlayGeneration bumped before every new overlay (create, reimage, rebuild, new hardware)
 * @param recycleGeneration bumped at every role recycle (reboot, reimage, unresponsive or cycling recycle)
 * @param intent            the step in flight, or null when the instance is settled
 */
public record InstanceRecord(String id, String role, int index, int updateDomain, int faultDomain,
                             DesiredPower desired, long overlayGeneration, long recycleGeneration, Intent intent) {

    public InstanceRecord withIntent(Intent newIntent) {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration,
                recycleGeneration, newIntent);
    }

    public InstanceRecord withDesired(DesiredPower power) {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, power, overlayGeneration,
                recycleGeneration, intent);
    }

    public InstanceRecord nextOverlay() {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration + 1,
                recycleGeneration, intent);
    }

    public InstanceRecord nextRecycle() {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration,
                recycleGeneration + 1, intent);
    }
}
