package org.csemu.fabric.vm;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's per-user session daemon ({@code qemu:///session}), where it lives and how it is started.
 *
 * <p>The client library starts a session daemon on demand ({@code libvirtd --timeout=120}, daemonized, so its parent
 * becomes PID 1). On the project's machines PID 1 reaps orphans only every ~1.2 s and libvirt reports a dead QEMU
 * only once it is reaped, so a crash would reach the fabric ~1.8 s late. A user's csemu daemon therefore starts the
 * session daemon itself, before its first connection, as {@code setsid tini -s -- libvirtd --timeout=120}: tini is
 * a child subreaper, every QEMU that libvirtd spawns is reparented to it and reaped at once, exactly like the system
 * daemon that {@code ./csemu setup} starts. The daemon still exits after 120 s without clients or running domains
 * (tini with it). A session daemon that already answers (started by {@code virsh}, say) is used as it is, and
 * {@link #supervised} tells whether it is under a subreaper ({@code csemu doctor} says how to fix it).
 *
 * @param socket     where the session daemon listens ({@code $XDG_RUNTIME_DIR/libvirt/libvirt-sock}, else
 *                   {@code ~/.cache/libvirt/libvirt-sock})
 * @param qemuRunDir where it writes each running QEMU's {@code <domain>.pid}
 */
public record SessionLibvirt(Path socket, Path qemuRunDir) {

    private static final Logger LOG = LoggerFactory.getLogger(SessionLibvirt.class);
    private static final List<String> TINI = List.of("/usr/bin/tini", "/bin/tini");
    private static final List<String> LIBVIRTD = List.of("/usr/sbin/libvirtd", "/usr/bin/libvirtd", "/sbin/libvirtd");
    /** The idle timeout libvirt's own autostart uses. */
    static final String IDLE_TIMEOUT = "--timeout=120";

    /** The session daemon of the user with this environment (HOME, XDG_RUNTIME_DIR). */
    public static SessionLibvirt of(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank() && Path.of(runtime).isAbsolute()
                ? Path.of(runtime, "libvirt")
                : Path.of(Optional.ofNullable(env.get("HOME")).filter(h -> !h.isBlank())
                        .orElse(System.getProperty("user.home")), ".cache", "libvirt");
        return new SessionLibvirt(base.resolve("libvirt-sock"), base.resolve("qemu").resolve("run"));
    }

    public static SessionLibvirt current() {
        return of(System.getenv());
    }

    /** Whether a session daemon accepts connections on {@link #socket}. */
    public boolean answers() {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure a session daemon answers, starting one under {@code tini -s} when none does; its output goes to
     * {@code log}. Returns at once when one already answers.
     */
    public void ensureRunning(Path log, Duration timeout) throws HypervisorException {
        if (answers()) {
            if (!supervised()) {
                LOG.warn("libvirt's session daemon is not under a child subreaper: crash events may arrive ~1.8 s late"
                        + " (csemu doctor says how to fix it)");
            }
            return;
        }
        String tini = first(TINI).orElseThrow(() -> new HypervisorException(
                "tini is not installed (needed to supervise libvirt's session daemon); run: sudo ./csemu setup"));
        String libvirtd = first(LIBVIRTD).orElseThrow(() -> new HypervisorException(
                "libvirtd is not installed; run: sudo ./csemu setup"));
        List<String> cmd = new java.util.ArrayList<>();
        Optional.of("/usr/bin/setsid").filter(p -> Files.isExecutable(Path.of(p))).ifPresent(cmd::add);
        cmd.addAll(List.of(tini, "-s", "--", libvirtd, IDLE_TIMEOUT));
        Process process;
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new HypervisorException("cannot start libvirt's session daemon (" + String.join(" ", cmd) + "): "
                    + e.getMessage(), e);
        }
        LOG.info("started libvirt's session daemon under tini -s (pid {}), socket {}", process.pid(), socket);
        try {
            new Poller(Duration.ofMillis(20), Duration.ofMillis(200)).until("libvirt's session daemon at " + socket,
                    Deadline.after(timeout), () -> {
                        if (answers()) {
                            return Optional.of(true);
                        }
                        if (!process.isAlive() && !answers()) {
                            throw new IOException("it exited with status " + process.exitValue() + " (log: " + log + ")");
                        }
                        return Optional.empty();
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HypervisorException("interrupted while starting libvirt's session daemon", e);
        } catch (Exception e) {
            throw new HypervisorException("libvirt's session daemon did not answer on " + socket + ": "
                    + e.getMessage(), e);
        }
    }

    /** The pid of the session daemon that owns {@link #socket}, from its pid file next to it. */
    public Optional<Long> daemonPid() {
        Path pidFile = socket.resolveSibling("libvirtd.pid");
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).isPresent() ? Optional.of(pid) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether the running session daemon's parent is a child subreaper ({@code tini}), not PID 1. */
    public boolean supervised() {
        return daemonPid().flatMap(pid -> ProcessHandle.of(pid).flatMap(ProcessHandle::parent))
                .flatMap(parent -> parent.info().command())
                .map(command -> Path.of(command).getFileName().toString().startsWith("tini"))
                .orElse(false);
    }

    private static Optional<String> first(List<String> candidates) {
        return candidates.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
    }
}
