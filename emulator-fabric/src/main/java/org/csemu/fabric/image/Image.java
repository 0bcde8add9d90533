package org.csemu.fabric.image;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A registered base image: a read-only disk plus what direct boot needs. {@code id} is the SHA-256 over the
 * content of every file and the command line, so the same content is stored once whatever it is called.
 *
 * @param names       every name that points at this image
 * @param virtualSize the disk's virtual size in bytes
 * @param kernel      null when the image boots from its disk (not supported by the driver yet)
 */
public record Image(String id, List<String> names, Path disk, String diskFormat, long virtualSize, long diskSize,
                    String diskSha256, Path kernel, Path initrd, String cmdline, Instant addedAt) {

    public Image {
        names = List.copyOf(names);
    }

    /** The first 12 hex digits, for messages and listings. */
    public String shortId() {
        return id.substring(0, 12);
    }
}
