package org.csemu.fabric.disk;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The config drive's tar stream ({@link ConfigDriveWriter}): entries owned by root with one modification time,
 * every parent directory written once before its children, directory trees copied with symbolic links and special
 * files refused (the guest must not follow them), and the stream padded to whole 512-byte records on
 * {@link #finish} without closing the caller's stream.
 */
final class DriveTar {
    private static final int RECORD_SIZE = 512;

    private final TarArchiveOutputStream tar;
    private final FileTime mtime;
    private final Set<String> dirs = new HashSet<>();

    DriveTar(OutputStream out, Instant mtime) {
        this.tar = new TarArchiveOutputStream(new NonClosing(out), RECORD_SIZE);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        this.mtime = FileTime.from(mtime);
    }

    void dir(String name) throws IOException {
        dir(name, 0755);
    }

    void dir(String name, int mode) throws IOException {
        if (!dirs.add(name)) {
            return;
        }
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            dir(name.substring(0, slash));
        }
        TarArchiveEntry entry = new TarArchiveEntry(name + "/");
        entry.setMode(040000 | mode);
        stamp(entry);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    void text(String name, String content) throws IOException {
        file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    void file(String name, byte[] content, int mode) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            dir(name.substring(0, slash));
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100000 | mode);
        entry.setSize(content.length);
        stamp(entry);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** Copies a directory tree; symbolic links and special files are refused (the guest must not follow them). */
    void tree(Path root, String prefix) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("role content directory " + root + " does not exist or is not a directory");
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted().toList());
        }
        for (Path path : paths) {
            if (path.equals(root)) {
                continue;
            }
            String relative = root.relativize(path).toString().replace('\\', '/');
            String name = prefix + "/" + relative;
            if (Files.isSymbolicLink(path)) {
                throw new IOException("role content " + path + " is a symbolic link; copy the file instead");
            } else if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                dir(name);
            } else if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                int mode = executable(path) ? 0755 : 0644;
                long size = Files.size(path);
                int slash = name.lastIndexOf('/');
                dir(name.substring(0, slash));
                TarArchiveEntry entry = new TarArchiveEntry(name);
                entry.setMode(0100000 | mode);
                entry.setSize(size);
                stamp(entry);
                tar.putArchiveEntry(entry);
                Files.copy(path, tar);
                tar.closeArchiveEntry();
            } else {
                throw new IOException("role content " + path + " is not a regular file or directory");
            }
        }
    }

    private void stamp(TarArchiveEntry entry) {
        entry.setModTime(mtime);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
    }

    /** Ends the stream: padding to whole records, flushed; the caller's stream stays open. */
    void finish() throws IOException {
        tar.finish();
        tar.flush();
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path);
        }
    }

    /** Lets the tar stream finish its padding without closing the caller's stream. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
