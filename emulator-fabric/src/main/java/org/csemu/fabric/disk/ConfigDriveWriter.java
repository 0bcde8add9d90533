package org.csemu.fabric.disk;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.csemu.fabric.util.AtomicFiles;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the config drive: a raw tar stream (padded to a multiple of 512 bytes) the guest agent extracts with
 * {@code tar -xf /dev/vdX}. Built in user space with commons-compress, so no root, loop device or mount is needed.
 * The layout is version 1 of docs/guest-agent.md.
 */
public final class ConfigDriveWriter {

    public static final int LAYOUT_VERSION = 1;
    private static final int RECORD_SIZE = 512;
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
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), RECORD_SIZE);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Writer w = new Writer(tar);
        w.dir("csemu");
        w.file("csemu/version", (LAYOUT_VERSION + "\n").getBytes(StandardCharsets.US_ASCII), 0644);
        w.text("csemu/instance.env", instanceEnv(input.identity()));
        w.file("csemu/RoleEnvironment.xml", input.roleEnvironmentXml(), 0644);
        w.dir("csemu/answer");
        w.text("csemu/answer/hostname", input.hostname() + "\n");
        w.text("csemu/answer/settings.env", settingsEnv(input.settings()));
        if (!input.users().isEmpty()) {
            w.text("csemu/answer/users", users(input.users()));
        }
        if (!input.answerFiles().isEmpty()) {
            for (Map.Entry<String, byte[]> file : new TreeMap<>(input.answerFiles()).entrySet()) {
                String relative = safeRelative(file.getKey(), "answer file");
                w.file("csemu/answer/files/" + relative, file.getValue(), 0644);
            }
        }
        w.text("csemu/localstorage.env", localStorageEnv(input.localResources()));
        w.dir("csemu/tasks");
        for (int i = 0; i < input.tasks().size(); i++) {
            ConfigDriveInput.Task task = input.tasks().get(i);
            String base = "csemu/tasks/" + String.format("%03d", i);
            w.text(base + ".env", ShellQuote.assignment("TASK_COMMAND", task.commandLine())
                    + ShellQuote.assignment("TASK_TYPE", task.type().xmlValue())
                    + ShellQuote.assignment("TASK_CONTEXT", task.context().xmlValue()));
            w.text(base + ".vars", vars(task.environment(), "startup task " + i));
        }
        ConfigDriveInput.Entry entry = input.entry();
        w.text("csemu/runtime.env", ShellQuote.assignment("ENTRY_KIND", entry.kind().value())
                + ShellQuote.assignment("ENTRY_COMMAND", entry.command() == null ? "" : entry.command())
                + ShellQuote.assignment("ENTRY_READY_ON_START", Boolean.toString(entry.readyOnStart()))
                + (entry.notRunnable() == null ? "" : ShellQuote.assignment("ROLE_NOT_RUNNABLE", entry.notRunnable())));
        w.text("csemu/runtime.vars", vars(input.runtimeEnvironment(), "the role's runtime environment"));
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
        gates(w, input.gates());
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
        tar.finish();
        tar.flush();
    }

    /**
     * {@code csemu/certificates/<nnn>.env|.pem|.key}: the directory and the keys are root's alone (0700, 0600) on the
     * drive, so no role process reads a key through the agent's copy of the drive; the agent installs each where
     * its permission level allows.
     */
    private static void certificates(Writer w, List<ConfigDriveInput.Certificate> certificates) throws IOException {
        if (certificates.isEmpty()) {
            return;
        }
        w.dir("csemu/certificates", 0700);
        for (int i = 0; i < certificates.size(); i++) {
            ConfigDriveInput.Certificate c = certificates.get(i);
            String base = "csemu/certificates/" + String.format("%03d", i);
            w.text(base + ".env", ShellQuote.assignment("CERT_NAME", c.name())
                    + ShellQuote.assignment("CERT_THUMBPRINT", c.thumbprint())
                    + ShellQuote.assignment("CERT_STORE_LOCATION", storeSegment(c.storeLocation(), "storeLocation", c))
                    + ShellQuote.assignment("CERT_STORE_NAME", storeSegment(c.storeName(), "storeName", c))
                    + ShellQuote.assignment("CERT_PERMISSION_LEVEL", c.permissionLevel()));
            w.file(base + ".pem", c.certificatePem().getBytes(StandardCharsets.US_ASCII), 0644);
            if (c.privateKeyPem() != null) {
                w.file(base + ".key", c.privateKeyPem().getBytes(StandardCharsets.US_ASCII), 0600);
            }
        }
    }

    /** A store location or name becomes a directory in the guest: one safe path segment. */
    static String storeSegment(String value, String what, ConfigDriveInput.Certificate c) {
        if (!value.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("certificate '" + c.name() + "': " + what + " '" + value + "' cannot be"
                    + " a directory in the guest; use letters, digits, '_', '-', '.' (e.g. My, Root, CA)");
        }
        return value;
    }

    static String instanceEnv(ConfigDriveInput.Identity id) {
        return ShellQuote.assignment("CSEMU_DEPLOYMENT_ID", id.deploymentId())
                + ShellQuote.assignment("CSEMU_INSTANCE_ID", id.instanceId())
                + ShellQuote.assignment("CSEMU_ROLE_NAME", id.roleName())
                + ShellQuote.assignment("CSEMU_UPDATE_DOMAIN", Integer.toString(id.updateDomain()))
                + ShellQuote.assignment("CSEMU_FAULT_DOMAIN", Integer.toString(id.faultDomain()))
                + ShellQuote.assignment("CSEMU_RECYCLE_ID", id.recycleId())
                + ShellQuote.assignment("CSEMU_HEARTBEAT_SECONDS", Integer.toString(id.heartbeatSeconds()));
    }

    static String settingsEnv(List<ConfigDriveInput.Setting> settings) {
        StringBuilder out = new StringBuilder();
        out.append(ShellQuote.assignment("CSEMU_SETTING_COUNT", Integer.toString(settings.size())));
        for (int i = 0; i < settings.size(); i++) {
            out.append(ShellQuote.assignment("CSEMU_SETTING_" + i + "_NAME", settings.get(i).name()));
            out.append(ShellQuote.assignment("CSEMU_SETTING_" + i + "_VALUE", settings.get(i).value()));
        }
        return out.toString();
    }

    static String localStorageEnv(List<ConfigDriveInput.LocalResource> resources) {
        StringBuilder out = new StringBuilder();
        out.append(ShellQuote.assignment("CSEMU_LOCAL_COUNT", Integer.toString(resources.size())));
        for (int i = 0; i < resources.size(); i++) {
            ConfigDriveInput.LocalResource r = resources.get(i);
            safeRelative(r.name(), "local storage name");
            if (r.name().contains("/")) {
                throw new IllegalArgumentException("local storage name '" + r.name() + "' must not contain '/'");
            }
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_NAME", r.name()));
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_SIZE_MB", Integer.toString(r.sizeMiB())));
            out.append(ShellQuote.assignment("CSEMU_LOCAL_" + i + "_CLEAN", Boolean.toString(r.wipe())));
        }
        return out.toString();
    }

    static String users(List<ConfigDriveInput.GuestUser> users) {
        StringBuilder out = new StringBuilder();
        for (ConfigDriveInput.GuestUser user : users) {
            for (String field : List.of(user.name(), user.home(), user.shell())) {
                if (field.contains(":") || field.contains("\n")) {
                    throw new IllegalArgumentException("guest user field '" + field + "' must not contain ':' or a newline");
                }
            }
            out.append(user.name()).append(':').append(user.uid()).append(':').append(user.home()).append(':')
                    .append(user.shell()).append('\n');
        }
        return out.toString();
    }

    static String vars(Map<String, String> environment, String owner) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            if (!ShellQuote.isValidName(variable.getKey())) {
                throw new IllegalArgumentException("environment variable '" + variable.getKey() + "' of " + owner
                        + " is not a valid shell variable name: use letters, digits and '_', not starting with a digit");
            }
            out.append(ShellQuote.assignment(variable.getKey(), variable.getValue() == null ? "" : variable.getValue()));
        }
        return out.toString();
    }

    static String safeRelative(String path, String what) {
        String normalized = path.replace('\\', '/');
        while (normalized.startsWith("/")) {
            normalized = normalized.substring(1);
        }
        if (normalized.isEmpty()) {
            throw new IllegalArgumentException(what + " has an empty path");
        }
        for (String part : normalized.split("/")) {
            if (part.equals("..") || part.equals(".")) {
                throw new IllegalArgumentException(what + " '" + path + "' must not contain '.' or '..' segments");
            }
        }
        return normalized;
    }

    /** Tracks directories already written so every parent gets exactly one entry. */
    private final class Writer {
        private final TarArchiveOutputStream tar;
        private final Set<String> dirs = new HashSet<>();

        Writer(TarArchiveOutputStream tar) {
            this.tar = tar;
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
            entry.setModTime(java.nio.file.attribute.FileTime.from(mtime));
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("root");
            entry.setGroupName("root");
        }
    }

    /**
     * {@code csemu/gates.env}: {@code ROLE_SECRET}, {@code GATES} ({@code <port>:<target>:<secret>,<secret>...}
     * each) and {@code PROXIES} ({@code <port>/tcp} or {@code <port>/udp} each), for the agent's traffic gates and
     * proxies (docs/guest-agent.md). Absent when the instance has none.
     */
    private void gates(Writer w, ConfigDriveInput.Gates gates) throws IOException {
        if (gates.gates().isEmpty() && gates.proxies().isEmpty()) {
            return;
        }
        StringBuilder g = new StringBuilder();
        for (ConfigDriveInput.Gates.Gate gate : gates.gates()) {
            g.append(g.isEmpty() ? "" : " ").append(gate.port()).append(':').append(gate.target()).append(':')
                    .append(String.join(",", gate.secrets()));
        }
        StringBuilder p = new StringBuilder();
        for (ConfigDriveInput.Gates.Proxy proxy : gates.proxies()) {
            p.append(p.isEmpty() ? "" : " ").append(proxy.port()).append(proxy.udp() ? "/udp" : "/tcp");
        }
        w.text("csemu/gates.env", ShellQuote.assignment("ROLE_SECRET", gates.roleSecret())
                + ShellQuote.assignment("GATES", g.toString()) + ShellQuote.assignment("PROXIES", p.toString()));
    }

    private static boolean executable(Path path) throws IOException {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(path);
        }
    }

    /** Lets the tar stream finish its padding without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
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
