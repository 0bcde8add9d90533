package org.csemu.cli.e2e;

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
import org.csemu.cli.CliRun;
import org.csemu.cli.Main;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.SocketTransport;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonInfoFile;
import org.csemu.fabric.daemon.DataDirectory;
import org.csemu.fabric.daemon.ProcessIdentity;
import org.csemu.core.util.FileTrees;
import org.csemu.testing.HostRequirement;

/**
 * A real csemu daemon (the production fabric: libvirt, QEMU guests, the VIP load balancer) on a fresh data directory
 * under {@code /var/lib/csemu/test-*}, driven through the CLI exactly as a user does. {@link #close} stops the daemon
 * by its pid, then destroys and undefines every domain of this data directory's deployments and deletes the
 * directory, also from a shutdown hook, so a failed or aborted run leaves nothing behind.
 */
final class LiveDaemon implements AutoCloseable {
    static final Path BASE_IMAGE = Path.of("/var/lib/csemu/image-cache/csemu-base-latest");
    static final Path LIBVIRT_SOCKET = Path.of("/var/run/libvirt/libvirt-sock");

    /** A command's outcome. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    final DataDirectory data;
    private final Thread hook;
    private volatile boolean closed;

    private LiveDaemon(Path dir) {
        this.data = new DataDirectory(dir);
        this.hook = new Thread(this::cleanupQuietly, "csemu-live-daemon-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Under CI=true a host without libvirt or the guest image fails the test; locally it is skipped. */
    static void requireVmHost() {
        HostRequirement.require(Files.isRegularFile(BASE_IMAGE.resolve("image.json")),
                "no guest base image at " + BASE_IMAGE + " (run ./csemu setup)");
        HostRequirement.require(Files.exists(LIBVIRT_SOCKET),
                "libvirtd is not running (no " + LIBVIRT_SOCKET + "; run ./csemu setup)");
    }

    /** A fresh data directory (short: libvirt limits the agent socket path); the daemon is not started yet. */
    static LiveDaemon create() throws IOException {
        // the daemon spawned by `csemu run` inherits csemu.* properties: choose the production fabric explicitly,
        // since the test class path also registers an empty test fabric
        System.setProperty("csemu.fabric.factory", "org.csemu.fabric.api.wiring.RealFabricFactory");
        Path dir = Path.of("/var/lib/csemu/test-" + UUID.randomUUID().toString().substring(0, 4));
        Files.createDirectories(dir.getParent());
        return new LiveDaemon(dir);
    }

    /** Runs {@code csemu <args> --data-dir <this>} in this JVM, as Main.run would. */
    Result csemu(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir");
        all.add(data.root().toString());
        return csemuRaw(all.toArray(String[]::new));
    }

    /** {@code csemu exec <instance> [options] --data-dir <this> -- <command>}: the options before the {@code --}. */
    Result exec(String instance, List<String> options, String command) {
        return exec(instance, options, command, List.of("exec"));
    }

    /**
     * {@code csemu exec -i …} with {@code stdin} as the command's standard input: {@code System.in} is swapped for
     * the run and restored (the VM tests run one class at a time in this JVM).
     */
    Result execWithStdin(String instance, List<String> options, String command, byte[] stdin) {
        List<String> all = new ArrayList<>(List.of("exec", "-i"));
        all.addAll(options);
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(stdin));
        try {
            return exec(instance, all.subList(2, all.size()), command, all.subList(0, 2));
        } finally {
            System.setIn(saved);
        }
    }

    private Result exec(String instance, List<String> options, String command, List<String> head) {
        List<String> all = new ArrayList<>(head);
        all.add(instance);
        all.addAll(options);
        all.add("--data-dir");
        all.add(data.root().toString());
        all.add("--");
        all.add(command);
        return csemuRaw(all.toArray(String[]::new));
    }

    /** {@code csemu shell <instance> [options] --data-dir <this>}, typed into by the test. */
    InteractiveShell shell(String instance, List<String> options) throws IOException {
        List<String> all = new ArrayList<>(List.of("shell", instance));
        all.addAll(options);
        all.add("--data-dir");
        all.add(data.root().toString());
        return new InteractiveShell(all.toArray(String[]::new));
    }

    static Result csemuRaw(String... args) {
        CliRun run = CliRun.of(args);
        return new Result(run.exitCode(), run.out(), run.err());
    }

    Optional<DaemonInfo> info() throws IOException {
        return DaemonInfoFile.read(data.infoFile());
    }

    /** A client of this daemon's API over loopback TCP, as the CLI makes one. */
    DaemonClient client() throws IOException {
        return new DaemonClient(SocketTransport.tcp(apiPort()), token());
    }

    int apiPort() throws IOException {
        return info().orElseThrow().port();
    }

    String token() throws IOException {
        return Files.readString(data.tokenFile(), StandardCharsets.UTF_8).trim();
    }

    @Override
    public void close() {
        cleanupQuietly();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }

    private synchronized void cleanupQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Optional<DaemonInfo> info = info();
            if (info.isPresent() && ProcessIdentity.isAlive(info.get())) {
                ProcessHandle.of(info.get().pid()).ifPresent(p -> {
                    p.destroy();
                    try {
                        p.onExit().get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("csemu test cleanup: daemon: " + e);
        }
        try {
            List<String> deployments = new ArrayList<>();
            Path dirs = data.root().resolve("deployments");
            if (Files.isDirectory(dirs)) {
                try (Stream<Path> s = Files.list(dirs)) {
                    s.forEach(p -> deployments.add(p.getFileName().toString()));
                }
            }
            for (String domain : virsh("list", "--all", "--name")) {
                if (deployments.stream().anyMatch(d -> domain.startsWith("csemu-" + d + "-"))) {
                    virsh("destroy", domain);
                    virsh("undefine", domain);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("csemu test cleanup: domains: " + e);
        }
        try {
            FileTrees.delete(data.root());
        } catch (IOException | RuntimeException e) {
            System.err.println("csemu test cleanup: files: " + e);
        }
    }

    private static List<String> virsh(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-c", "qemu:///system"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
            return text.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return List.of();
        }
    }
}
