package org.csemu.fabric.deployment;

/**
 * The desired state of one instance.
 *
 * @param overlayGeneration bumped before every new overlay (create, reimage, rebuild, new hardware)
 * @param recycleGeneration bumped at every role recycle (reboot, reimage, unresponsive or cycling recycle)
 * @param intent            the step in flight, or null when the instance is settled
 * @param serviceRevision   the revision of the deployment's service (package and configuration) this instance boots
 *                          from: a rollout moves it instance by instance, so a reboot of an instance not walked yet
 *                          keeps the old package and configuration, as in the cloud
 */
public record InstanceRecord(String id, String role, int index, int updateDomain, int faultDomain,
                             DesiredPower desired, long overlayGeneration, long recycleGeneration, Intent intent,
                             int serviceRevision) {

    public InstanceRecord withIntent(Intent newIntent) {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration,
                recycleGeneration, newIntent, serviceRevision);
    }

    public InstanceRecord withDesired(DesiredPower power) {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, power, overlayGeneration,
                recycleGeneration, intent, serviceRevision);
    }

    public InstanceRecord nextOverlay() {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration + 1,
                recycleGeneration, intent, serviceRevision);
    }

    public InstanceRecord nextRecycle() {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration,
                recycleGeneration + 1, intent, serviceRevision);
    }

    public InstanceRecord withServiceRevision(int revision) {
        return new InstanceRecord(id, role, index, updateDomain, faultDomain, desired, overlayGeneration,
                recycleGeneration, intent, revision);
    }
}
