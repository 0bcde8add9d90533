package org.csemu.fabric.api;

import java.util.Objects;

/**
 * An image to register in the repository: a disk, and for direct kernel boot the kernel, initrd and command line.
 *
 * @param name the name a configuration refers to ({@code OsImage@href})
 * @param disk qcow2 or raw disk on this host
 * @param format {@code qcow2} or {@code raw}, or {@code null} to detect
 * @param kernel optional kernel for direct boot
 * @param initrd optional initrd for direct boot
 * @param kernelCommandLine optional kernel command line
 * @param makeDefault use this image for roles whose configuration names none
 */
public record AddImageRequest(String name, UploadedFile disk, String format, UploadedFile kernel, UploadedFile initrd,
        String kernelCommandLine, boolean makeDefault) {
    public AddImageRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(disk, "disk");
    }
}
