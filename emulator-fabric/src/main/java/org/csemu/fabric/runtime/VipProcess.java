package org.csemu.fabric.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csemu.lb.LoadBalancer;
import org.csemu.lb.VipLoadBalancer;
import org.csemu.lb.remote.LbHost;
import org.csemu.lb.remote.RemoteLoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the fabric's VIP load balancer runs. In the daemon it is a separate long-lived process ({@link LbHost}) on
 * {@code <data dir>/lb.sock}, started by the first daemon and adopted by the next, so listeners and established
 * connections survive a daemon crash, SIGKILL or restart; elsewhere (embedded fabrics, tests) it runs in this JVM.
 * See docs/load-balancer.md, "A VIP that outlives the daemon".
 */
public final class VipProcess {
    private static final Logger LOG = LoggerFactory.getLogger(VipProcess.class);
    static final String SOCKET = "lb.sock";
    static final String LOG_FILE = "lb.log";
    /** Written by {@code csemu daemon stop --keep-vip}: the exiting daemon leaves the LB process running. */
    public static final String KEEP_MARKER = "keep-vip";

    private VipProcess() {
    }

    /** The load balancer for a fabric on {@code dataDir}: adopted or started in its own process, or in this JVM. */
    public static LoadBalancer open(Path dataDir, boolean separate) throws IOException {
        if (!separate) {
            return VipLoadBalancer.start();
        }
        Files.deleteIfExists(dataDir.resolve(KEEP_MARKER)); // a marker no daemon consumed is no instruction now
        RemoteLoadBalancer lb = RemoteLoadBalancer.adopt(dataDir.resolve(SOCKET), command(dataDir),
                dataDir.resolve(LOG_FILE), Duration.ofSeconds(60));
        LOG.info("VIP load balancer process {} {} ({}; log {})", lb.pid(),
                lb.startedProcess() ? "started" : "adopted with its listeners and connections", lb.transportName(),
                dataDir.resolve(LOG_FILE));
        return lb;
    }

    /** After the desired deployments' endpoints were declared again: drop what the LB process has beyond them. */
    public static void reconcile(LoadBalancer lb) {
        if (lb instanceof RemoteLoadBalancer remote) {
            int removed = remote.reconcile();
            if (removed > 0) {
                LOG.info("VIP load balancer reconciled: {} listener(s)/backend(s) no deployment declares removed",
                        removed);
            }
        }
    }

    /**
     * On the daemon's exit: stop the LB process (every VIP closes), unless {@code csemu daemon stop --keep-vip}
     * left the marker, then only disconnect (the VIP keeps serving the last rotation until the next daemon).
     */
    public static void release(LoadBalancer lb, Path dataDir) {
        if (!(lb instanceof RemoteLoadBalancer remote)) {
            lb.close();
            return;
        }
        boolean keep;
        try {
            keep = Files.deleteIfExists(dataDir.resolve(KEEP_MARKER));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (keep) {
            LOG.info("VIP load balancer process {} keeps serving (--keep-vip)", remote.pid());
            remote.close();
        } else {
            try {
                remote.shutdown();
            } catch (UncheckedIOException e) {
                LOG.warn("VIP load balancer process {}: no answer to shutdown: {}", remote.pid(), e.getMessage());
            }
        }
    }

    /** For {@code csemu daemon stop --keep-vip}: the next exit of the daemon on {@code dataDir} keeps the LB. */
    public static void keepOnNextExit(Path dataDir) throws IOException {
        Files.writeString(dataDir.resolve(KEEP_MARKER), "written by csemu daemon stop --keep-vip\n");
    }

    /**
     * Stops the LB process serving {@code dataDir} with no daemon in front of it (the daemon was killed); returns
     * its pid, or -1 when none answers.
     */
    public static long stopOrphan(Path dataDir) throws IOException {
        Path socket = dataDir.resolve(SOCKET);
        if (!RemoteLoadBalancer.answers(socket)) {
            return -1;
        }
        RemoteLoadBalancer lb = RemoteLoadBalancer.connect(socket);
        long pid = lb.pid();
        lb.shutdown();
        return pid;
    }

    /** The pid of the LB process serving {@code dataDir}, or -1. */
    public static long runningPid(Path dataDir) {
        try (RemoteLoadBalancer lb = RemoteLoadBalancer.connect(dataDir.resolve(SOCKET))) {
            return lb.pid();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    /** This JVM's java and class path (the daemon's jar or classes), the daemon's GC and socket flags. */
    private static List<String> command(Path dataDir) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.add("-XX:+UseSerialGC");
        c.add("-Djava.net.preferIPv4Stack=true");
        c.add("-Xmx128m");
        String transport = System.getProperty("csemu.lb.transport");
        if (transport != null && !transport.isBlank()) {
            c.add("-Dcsemu.lb.transport=" + transport);
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(LbHost.class.getName());
        c.add(dataDir.resolve(SOCKET).toString());
        return c;
    }
}
