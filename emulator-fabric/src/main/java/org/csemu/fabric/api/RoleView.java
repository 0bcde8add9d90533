package org.csemu.fabric.api;

import java.util.List;

/**
 * One role of a deployment.
 *
 * @param name the role name from the definition
 * @param kind WebRole, WorkerRole or VirtualMachineRole
 * @param image the image its instances boot
 * @param instanceCount the configured (desired) count
 * @param instances the instances that exist now
 */
public record RoleView(String name, String kind, String image, int instanceCount, List<InstanceView> instances) {
    public RoleView {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
