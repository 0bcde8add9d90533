package org.csemu.fabric.persist;

import java.nio.file.Path;

/**
 * A state file exists but cannot be read. The daemon must stop rather than start with an empty state (which would
 * orphan every running domain); the unreadable file was copied aside so an operator can inspect or repair it.
 */
public class CorruptStateException extends RuntimeException {
    private final Path file;
    private final Path preservedCopy;

    public CorruptStateException(Path file, Path preservedCopy, String reason, Throwable cause) {
        super("state file " + file + " is unreadable (" + reason + "); a copy was kept at " + preservedCopy
                + ". Restore a good copy or fix the file, then start again; the fabric will not start on an empty "
                + "state, which would orphan the running instances", cause);
        this.file = file;
        this.preservedCopy = preservedCopy;
    }

    public Path file() {
        return file;
    }

    public Path preservedCopy() {
        return preservedCopy;
    }
}
