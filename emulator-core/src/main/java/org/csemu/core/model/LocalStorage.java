package org.csemu.core.model;

/**
 * A local-storage resource; its directory name equals its name.
 *
 * @param sizeInMB           positive
 * @param cleanOnRoleRecycle default true: contents wiped when the role recycles (reboot, reimage)
 */
public record LocalStorage(String name, int sizeInMB, boolean cleanOnRoleRecycle, SourceLocation location) {
}
