package org.csemu.fabric.api;

import java.time.Instant;
import java.util.List;

/**
 * An image in the repository.
 *
 * @param id content address ({@code sha256:...}) of the disk
 * @param name the name configurations refer to
 * @param format qcow2 or raw
 * @param sizeBytes size of the disk file
 * @param directBoot whether it boots a kernel directly
 * @param isDefault whether roles that name no image use it
 * @param addedAt when it was registered
 * @param usedBy the deployments using it (deletion is refused while any does)
 */
public record ImageView(String id, String name, String format, long sizeBytes, boolean directBoot, boolean isDefault,
        Instant addedAt, List<String> usedBy) {
    public ImageView {
        usedBy = usedBy == null ? List.of() : List.copyOf(usedBy);
    }
}
