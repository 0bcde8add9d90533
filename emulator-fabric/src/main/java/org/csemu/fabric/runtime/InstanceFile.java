package org.csemu.fabric.runtime;

/**
 * {@code instance.json} in an instance's directory: who the files belong to (so leftover disks without a domain can
 * be reported to recovery) and which generations the disks on disk were made for.
 */
public record InstanceFile(String fabricId, String deploymentId, String roleName, String instanceId,
                           long overlayGeneration, long recycleGeneration) {
}
