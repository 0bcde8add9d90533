package org.csemu.core.topology;

import java.util.List;
import java.util.Optional;

/**
 * The instances of one role.
 *
 * @param instances in index order
 * @param nextIndex the index the next added instance gets: one past the highest ever used, so an id of a deleted
 *                  instance (whose logs and disks may still be around) never comes back for a different instance
 */
public record RoleTopology(String roleName, List<InstancePlacement> instances, int nextIndex) {

    public RoleTopology {
        instances = List.copyOf(instances);
    }

    public Optional<InstancePlacement> instance(String id) {
        return instances.stream().filter(i -> i.id().equals(id)).findFirst();
    }
}
