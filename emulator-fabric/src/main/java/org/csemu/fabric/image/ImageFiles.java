package org.csemu.fabric.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import org.csemu.core.util.Sha256;
import org.csemu.fabric.disk.QemuImg;

/**
 * Checking and copying the files of an image before {@link ImageRepository} stores it: a disk is a sane standalone
 * qcow2 or raw image ({@code qemu-img info} and {@code check}), a manifest's names stay inside its directory, and a
 * copy is hashed while written and re-read after, so a changing source or a failing disk is caught.
 */
final class ImageFiles {

    private ImageFiles() {
    }

    /** Checks a disk is a sane qcow2 or raw image; returns its format. */
    static String validateDisk(Path disk, String format) throws ImageException, IOException, InterruptedException {
        requireFile(disk, "disk");
        if (format != null && !format.equals("qcow2") && !format.equals("raw")) {
            throw new ImageException("disk format must be qcow2 or raw, not '" + format + "'");
        }
        long fileSize = Files.size(disk);
        if (fileSize == 0) {
            throw new ImageException("disk " + disk + " is empty");
        }
        QemuImg.Info info;
        try {
            info = format == null ? QemuImg.info(disk) : QemuImg.info(disk, format);
        } catch (IOException e) {
            throw new ImageException("disk " + disk + " is not a readable " + (format == null ? "disk image" : format)
                    + ": " + e.getMessage(), e);
        }
        String actual = info.format();
        if (!actual.equals("qcow2") && !actual.equals("raw")) {
            throw new ImageException("disk " + disk + " is in format '" + actual + "'; convert it to qcow2 or raw (qemu-img convert)");
        }
        if (actual.equals("qcow2")) {
            if (info.backingFile() != null) {
                throw new ImageException("disk " + disk + " has a backing file (" + info.backingFile()
                        + "); register a standalone image (qemu-img convert -O qcow2)");
            }
            String problem = QemuImg.check(disk, "qcow2");
            if (problem != null) {
                throw new ImageException("disk " + disk + " is a corrupt or truncated qcow2: " + problem);
            }
        } else if (fileSize % 512 != 0) {
            throw new ImageException("raw disk " + disk + " is " + fileSize + " bytes, not a multiple of 512: truncated upload?");
        }
        if (info.virtualSize() <= 0 || info.virtualSize() < 1024 * 1024) {
            throw new ImageException("disk " + disk + " has an implausible virtual size of " + info.virtualSize() + " bytes");
        }
        return actual;
    }

    static void requireFile(Path file, String what) throws ImageException {
        if (file != null && !Files.isRegularFile(file)) {
            throw new ImageException(what + " " + file + " does not exist or is not a regular file");
        }
    }

    static Path inside(Path dir, String name, Path manifest) throws ImageException {
        Path resolved = dir.resolve(name).normalize();
        if (!resolved.startsWith(dir.normalize()) || name.contains("/")) {
            throw new ImageException(manifest + " names '" + name + "', which is outside the image directory");
        }
        return resolved;
    }

    /** Copies {@code source} to {@code target} hashing the bytes read, then re-reads the copy and compares. */
    static String copyVerified(Path source, Path target) throws IOException, ImageException {
        MessageDigest digest = Sha256.digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), digest);
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        try (var channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        String expected = Sha256.hex(digest);
        String actual = Sha256.ofFile(target);
        if (!expected.equals(actual)) {
            throw new ImageException("the copy of " + source + " does not match the original (sha256 " + actual
                    + " != " + expected + "): the source changed during the upload or the disk is failing");
        }
        return actual;
    }
}
