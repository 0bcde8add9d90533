package org.csemu.cli.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonInfoFile;

/**
 * A throw-away Unix user (created with {@code useradd}, removed with {@code userdel -r}) with a csemu of their own in
 * their home directory, as a real user would have their own clone: the csemu classes and libraries copied into
 * {@code ~/csemu/lib} (the build under /work and root's ~/.m2 are not theirs to read) and the samples into
 * {@code ~/csemu/samples}. Commands run as that user through {@code runuser -u USER --} with a clean environment
 * (HOME, USER, PATH; no XDG_RUNTIME_DIR, as under cron or a CI agent). {@link #close} kills every process of that
 * uid by pid (all of them were started by this test: the user is new), deletes the user, their home and their
 * files in /tmp, also from a shutdown hook so a failed or aborted run leaves nothing behind.
 */
final class UnprivilegedUser implements AutoCloseable {

    /** A command's outcome. */
    record Result(int code, String out) {
    }

    final String name;
    final long uid;
    final Path home;
    private final String classPath;
    private final Thread hook;
    private volatile boolean closed;

    private UnprivilegedUser(String name, long uid, Path home, String classPath) {
        this.name = name;
        this.uid = uid;
        this.home = home;
        this.classPath = classPath;
        this.hook = new Thread(this::removeQuietly, "csemu-test-user-cleanup-" + name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Creates the user and gives them csemu (this JVM's class path minus test classes) and {@code samples}. */
    static UnprivilegedUser create(Path samples) throws IOException, InterruptedException {
        String name = "csemut" + UUID.randomUUID().toString().substring(0, 6);
        root("useradd", "--create-home", "--shell", "/bin/bash", name);
        UnprivilegedUser user = null;
        try {
            long uid = Long.parseLong(root("id", "-u", name).strip());
            Path home = Path.of(root("getent", "passwd", name).strip().split(":")[5]);
            Path lib = home.resolve("csemu/lib");
            Files.createDirectories(lib);
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path source = Path.of(entry).toAbsolutePath();
                if (entry.isEmpty() || !Files.exists(source) || source.endsWith("test-classes")) {
                    continue;
                }
                Path target = lib.resolve(String.format("%03d-%s", n++, source.getFileName()));
                if (Files.isDirectory(source)) {
                    CliLifecycleVmTest.copyTree(source, target);
                } else {
                    Files.copy(source, target);
                }
                entries.add(target.toString());
            }
            CliLifecycleVmTest.copyTree(samples, home.resolve("csemu/samples"));
            root("chown", "-R", name + ":", home.resolve("csemu").toString());
            user = new UnprivilegedUser(name, uid, home, String.join(File.pathSeparator, entries));
            return user;
        } finally {
            if (user == null) {
                root("userdel", "--remove", name);
            }
        }
    }

    /** {@code csemu ARGS} as this user, from their home directory; the daemon it may start is theirs too. */
    Result csemu(String... args) throws IOException, InterruptedException {
        return csemuTyping(null, args);
    }

    /** {@link #csemu} with {@code input} as its stdin (a pipe's worth of typing), or none when {@code null}. */
    Result csemuTyping(String input, String... args) throws IOException, InterruptedException {
        File stdin = new File("/dev/null");
        if (input != null) {
            stdin = File.createTempFile("csemu-input-", ".txt");
            stdin.deleteOnExit();
            Files.writeString(stdin.toPath(), input, StandardCharsets.UTF_8);
        }
        List<String> cmd = new ArrayList<>(List.of("runuser", "-u", name, "--", "env", "-i", "HOME=" + home,
                "USER=" + name, "LOGNAME=" + name, "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dcsemu.fabric.factory=org.csemu.fabric.api.wiring.RealFabricFactory",
                "-cp", classPath, "org.csemu.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(stdin)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("csemu " + String.join(" ", args) + " as " + name + " did not end:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** The user's default data directory. */
    Path dataDir() {
        return home.resolve(".local/share/csemu");
    }

    Optional<DaemonInfo> daemon() throws IOException {
        return DaemonInfoFile.read(dataDir().resolve("daemon.json"));
    }

    /** The pids of every process whose real or effective uid is this user's. */
    List<Long> processes() {
        return ProcFs.pidsOfUid(uid);
    }

    @Override
    public void close() {
        removeQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private synchronized void removeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        keepLogs();
        try {
            // every process of this uid was started by this test (the user is new): the CLI, the daemon, tini,
            // the session libvirtd and virtlogd, the guests' QEMUs
            for (int round = 0; round < 20 && !processes().isEmpty(); round++) {
                for (long pid : processes()) {
                    Optional<ProcessHandle> process = ProcessHandle.of(pid);
                    if (process.isPresent()) {
                        process.get().destroyForcibly();
                        try {
                            process.get().onExit().get(5, TimeUnit.SECONDS); // userdel refuses a user with processes
                        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                            // reaped by someone else, or still dying: the next round looks again
                        }
                    }
                }
            }
            try (Stream<Path> tmp = Files.list(Path.of("/tmp"))) {
                for (Path p : tmp.toList()) {
                    if (ownedBy(p)) {
                        root("rm", "-rf", "--one-file-system", p.toString());
                    }
                }
            }
            root("userdel", "--remove", name);
        } catch (IOException | RuntimeException e) {
            System.err.println("csemu test cleanup of user " + name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The user's daemon and session libvirtd logs, kept in target/user-logs/ (their home goes with them). */
    private void keepLogs() {
        Path logs = dataDir().resolve("logs");
        if (!Files.isDirectory(logs)) {
            return;
        }
        try {
            Path kept = Files.createDirectories(Path.of("target", "user-logs", name));
            // plain copies, owned by root: a later test user may get this uid again
            try (Stream<Path> s = Files.list(logs)) {
                for (Path log : s.filter(Files::isRegularFile).toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path deployments = dataDir().resolve("deployments");
            if (Files.isDirectory(deployments)) {
                try (Stream<Path> s = Files.walk(deployments)) {
                    for (Path console : s.filter(p -> p.getFileName().toString().equals("console.log")).toList()) {
                        Files.copy(console, kept.resolve(console.getParent().getFileName() + "-console.log"),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("csemu test: logs of " + name + " not kept: " + e);
        }
    }

    private boolean ownedBy(Path p) {
        try {
            return ((Number) Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS)).longValue()
                    == uid;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs a command as root (this JVM), returning stdout; a non-zero exit is an AssertionError. */
    static String root(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
