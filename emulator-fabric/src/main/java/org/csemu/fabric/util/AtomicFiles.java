package org.csemu.fabric.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The one way the fabric replaces a file: a crash or power loss at any moment leaves either the old or the new
 * content, never a torn one. Write a temp file in the same directory, fsync it, rename it over the target
 * atomically, fsync the directory (the idea of ZooKeeper's AtomicFileOutputStream). Strict: a file system that
 * cannot rename atomically or fsync fails the write with an {@link IOException}; nothing falls back to a weaker
 * replacement. POSIX only.
 */
public final class AtomicFiles {

    /** Owner read and write: what a temp file is created with unless the caller asks for more. */
    public static final String OWNER_ONLY = "rw-------";

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}; the file ends up readable and writable by its owner only. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, OWNER_ONLY);
    }

    /** Replaces {@code target} with {@code content}, the file created with {@code permissions} (e.g. {@code rw-r--r--}). */
    public static void write(Path target, byte[] content, String permissions) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Renames {@code source} over {@code target} atomically and fsyncs the target's directory. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + source + " to " + target + " atomically (different file systems?)", e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    /** Makes a rename or a new file in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
