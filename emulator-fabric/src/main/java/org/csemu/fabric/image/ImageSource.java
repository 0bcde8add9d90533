package org.csemu.fabric.image;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to register: a disk (qcow2 or raw, {@code diskFormat} null to detect), and for direct boot a kernel,
 * an optional initrd and a command line.
 */
public record ImageSource(String name, Path disk, String diskFormat, Path kernel, Path initrd, String cmdline) {
    public ImageSource {
        ImageRepository.requireValidName(name);
        Objects.requireNonNull(disk, "disk");
        cmdline = cmdline == null ? "" : cmdline.strip();
    }
}
