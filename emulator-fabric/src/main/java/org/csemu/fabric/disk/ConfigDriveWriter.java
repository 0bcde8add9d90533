package org.csemu.fabric.disk;

import org.csemu.fabric.util.AtomicFiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the config drive: a raw tar stream (padded to a multiple of 512 bytes) the guest agent extracts with
 * {@code tar -xf /dev/vdX}. Built in user space with commons-compress, so no root, loop device or mount is needed.
 * The layout is version 1 of docs/guest-agent.md; the tar stream itself is {@link DriveTar}'s, the small files'
 * contents {@link DriveFiles}'.
 */
public final class ConfigDriveWriter {

    public static final int LAYOUT_VERSION = 1;
    /**
     * Zeroed room after the tar stream (sparse on disk): a configuration change rewrites an attached drive in place,
     * and the guest's view of the disk's capacity is fixed while QEMU runs.
     */
    static final long SLACK_BYTES = 1L << 20;
    private static final long CAPACITY_UNIT = 1L << 20;

    private final Instant mtime;

    public ConfigDriveWriter() {
        this(Instant.now());
    }

    /** With a fixed modification time for every entry (reproducible drives in tests). */
    public ConfigDriveWriter(Instant mtime) {
        this.mtime = mtime;
    }

    /**
     * Writes the drive to {@code target} atomically (temp file in the same directory, fsync, rename), followed by
     * at least {@link #SLACK_BYTES} of sparse zeros (the capacity is a whole number of MiB).
     */
    public void write(ConfigDriveInput input, Path target) throws IOException {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + ".new");
        try {
            long size = writeTar(input, temp);
            long capacity = (size + SLACK_BYTES + CAPACITY_UNIT - 1) / CAPACITY_UNIT * CAPACITY_UNIT;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[1]), capacity - 1); // sparse up to the capacity
                channel.force(true);
            }
            AtomicFiles.moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Rewrites a drive that a running guest has attached: the same file (QEMU holds it open) and the same size (the
     * guest's capacity is fixed), the new tar stream first, zeros after it. Returns false, changing nothing, when
     * the new stream does not fit; the drive is then rebuilt at the next boot.
     */
    public boolean rewriteInPlace(ConfigDriveInput input, Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + ".next");
        try {
            long size = writeTar(input, temp);
            long capacity = Files.size(target);
            if (size > capacity) {
                return false;
            }
            try (FileChannel from = FileChannel.open(temp, StandardOpenOption.READ);
                 FileChannel to = FileChannel.open(target, StandardOpenOption.WRITE)) {
                long done = 0;
                while (done < size) {
                    done += to.transferFrom(from, done, size - done);
                }
                ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
                for (long at = size; at < capacity; ) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), capacity - at));
                    at += to.write(zeros, at);
                }
                to.force(true);
            }
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * The drive file is the daemon user's alone (0600): it may hold private keys. QEMU still opens it: libvirt's DAC
     * driver gives it to the QEMU user while the domain runs, and a session daemon's QEMU is that user.
     */
    private long writeTar(ConfigDriveInput input, Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))) {
            write(input, out);
        }
        return Files.size(file);
    }

    /** Writes the drive as a tar stream to {@code out} (not closed). */
    public void write(ConfigDriveInput input, OutputStream out) throws IOException {
        DriveTar w = new DriveTar(out, mtime);
        w.dir("csemu");
        w.file("csemu/version", (LAYOUT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII), 0644);
        w.text("csemu/instance.env", DriveFiles.instanceEnv(input.identity()));
        w.file("csemu/RoleEnvironment.xml", input.roleEnvironmentXml(), 0644);
        w.dir("csemu/answer");
        w.text("csemu/answer/hostname", input.hostname() + "\n");
        w.text("csemu/answer/settings.env", DriveFiles.settingsEnv(input.settings()));
        if (!input.users().isEmpty()) {
            w.text("csemu/answer/users", DriveFiles.users(input.users()));
        }
        if (!input.answerFiles().isEmpty()) {
            for (Map.Entry<String, byte[]> file : new TreeMap<>(input.answerFiles()).entrySet()) {
                String relative = DriveFiles.safeRelative(file.getKey(), "answer file");
                w.file("csemu/answer/files/" + relative, file.getValue(), 0644);
            }
        }
        w.text("csemu/localstorage.env", DriveFiles.localStorageEnv(input.localResources()));
        w.dir("csemu/tasks");
        for (int i = 0; i < input.tasks().size(); i++) {
            ConfigDriveInput.Task task = input.tasks().get(i);
            String base = "csemu/tasks/" + String.format("%03d", i);
            w.text(base + ".env", ShellQuote.assignment("TASK_COMMAND", task.commandLine())
                    + ShellQuote.assignment("TASK_TYPE", task.type().xmlValue())
                    + ShellQuote.assignment("TASK_CONTEXT", task.context().xmlValue()));
            w.text(base + ".vars", DriveFiles.vars(task.environment(), "startup task " + i));
        }
        ConfigDriveInput.Entry entry = input.entry();
        w.text("csemu/runtime.env", ShellQuote.assignment("ENTRY_KIND", entry.kind().value())
                + ShellQuote.assignment("ENTRY_COMMAND", entry.command() == null ? "" : entry.command())
                + ShellQuote.assignment("ENTRY_READY_ON_START", Boolean.toString(entry.readyOnStart()))
                + (entry.notRunnable() == null ? "" : ShellQuote.assignment("ROLE_NOT_RUNNABLE", entry.notRunnable())));
        w.text("csemu/runtime.vars", DriveFiles.vars(input.runtimeEnvironment(), "the role's runtime environment"));
        if (!input.sites().isEmpty()) {
            w.dir("csemu/sites");
        }
        for (int i = 0; i < input.sites().size(); i++) {
            ConfigDriveInput.SiteContent site = input.sites().get(i);
            StringBuilder ports = new StringBuilder();
            StringBuilder tls = new StringBuilder();
            for (int port : site.ports()) {
                ports.append(ports.isEmpty() ? "" : " ").append(port);
                String thumbprint = site.httpsCertificates().get(port);
                if (thumbprint != null) {
                    tls.append(tls.isEmpty() ? "" : " ").append(port).append(':').append(thumbprint);
                }
            }
            w.text("csemu/sites/" + i + ".env", ShellQuote.assignment("SITE_NAME", site.name())
                    + ShellQuote.assignment("SITE_PORTS", ports.toString())
                    + ShellQuote.assignment("SITE_TLS", tls.toString()));
        }
        certificates(w, input.certificates());
        if (!input.gates().gates().isEmpty() || !input.gates().proxies().isEmpty()) {
            w.text("csemu/gates.env", DriveFiles.gatesEnv(input.gates()));
        }
        w.dir("approot");
        if (input.appRoot() != null) {
            w.tree(input.appRoot(), "approot");
        }
        if (!input.sites().isEmpty()) {
            w.dir("sitesroot");
            for (int i = 0; i < input.sites().size(); i++) {
                w.dir("sitesroot/" + i);
                Path content = input.sites().get(i).contentDir();
                if (content != null) {
                    w.tree(content, "sitesroot/" + i);
                }
            }
        }
        w.finish();
    }

    /**
     * {@code csemu/certificates/<nnn>.env|.pem|.key}: the directory and the keys are root's alone (0700, 0600) on the
     * drive, so no role process reads a key through the agent's copy of the drive; the agent installs each where
     * its permission level allows.
     */
    private static void certificates(DriveTar w, List<ConfigDriveInput.Certificate> certificates) throws IOException {
        if (certificates.isEmpty()) {
            return;
        }
        w.dir("csemu/certificates", 0700);
        for (int i = 0; i < certificates.size(); i++) {
            ConfigDriveInput.Certificate c = certificates.get(i);
            String base = "csemu/certificates/" + String.format("%03d", i);
            w.text(base + ".env", ShellQuote.assignment("CERT_NAME", c.name())
                    + ShellQuote.assignment("CERT_THUMBPRINT", c.thumbprint())
                    + ShellQuote.assignment("CERT_STORE_LOCATION",
                            DriveFiles.storeSegment(c.storeLocation(), "storeLocation", c))
                    + ShellQuote.assignment("CERT_STORE_NAME", DriveFiles.storeSegment(c.storeName(), "storeName", c))
                    + ShellQuote.assignment("CERT_PERMISSION_LEVEL", c.permissionLevel()));
            w.file(base + ".pem", c.certificatePem().getBytes(StandardCharsets.US_ASCII), 0644);
            if (c.privateKeyPem() != null) {
                w.file(base + ".key", c.privateKeyPem().getBytes(StandardCharsets.US_ASCII), 0600);
            }
        }
    }
}
