package org.csemu.lb.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.VipLoadBalancer;

/**
 * The VIP load balancer as its own long-lived process, driven over a unix control socket (mode 0600) by
 * {@link RemoteLoadBalancer}. It outlives its controller: when the control connection breaks (the daemon crashed,
 * was killed or restarts), every listener, backend, eligibility and connection stays as it was. A new controller
 * declares what it wants ({@code LISTEN}, {@code BACKEND}: an identical listener or backend is adopted, keeping its
 * port and connections), then {@code RECONCILE} removes whatever it did not declare. {@code SHUTDOWN} ends it, and so
 * does the removal of its socket file (the data directory was deleted).
 *
 * <p>Usage: {@code java -cp ... org.csemu.lb.remote.LbHost <control socket path>}.
 */
public final class LbHost {

    private static final Logger LOG = Logger.getLogger(LbHost.class.getName());

    private final VipLoadBalancer lb;
    private final Path socket;
    private final ServerSocketChannel server;

    private LbHost(VipLoadBalancer lb, Path socket, ServerSocketChannel server) {
        this.lb = lb;
        this.socket = socket;
        this.server = server;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: LbHost <control socket path>");
            System.exit(2);
        }
        Path socket = Path.of(args[0]).toAbsolutePath();
        if (RemoteLoadBalancer.answers(socket)) {
            System.err.println("LbHost: a load balancer already answers on " + socket);
            System.exit(1);
        }
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        LbHost host = new LbHost(VipLoadBalancer.start(), socket, server);
        LOG.info("VIP load balancer process " + ProcessHandle.current().pid() + " on " + socket);
        host.watchSocketFile();
        host.serve();
    }

    /**
     * Ends the process when its control socket file is gone (the data directory was deleted): nothing can drive or
     * stop it any more, so it must not hold VIP ports forever.
     */
    private void watchSocketFile() {
        Thread t = new Thread(() -> {
            while (Files.exists(socket)) {
                java.util.concurrent.locks.LockSupport.parkNanos(java.time.Duration.ofSeconds(2).toNanos());
            }
            LOG.warning("control socket " + socket + " was removed; stopping");
            shutdown();
        }, "lb-socket-watch");
        t.setDaemon(true);
        t.start();
    }

    private void serve() {
        while (true) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "control socket failed; stopping", e);
                shutdown();
                return;
            }
            Thread t = new Thread(() -> session(ch), "lb-control");
            t.setDaemon(true);
            t.start();
        }
    }

    /** One controller's connection; what it declared is what RECONCILE keeps. */
    private void session(SocketChannel ch) {
        Set<String> declaredListeners = new HashSet<>();
        Map<String, Set<String>> declaredBackends = new HashMap<>();
        try (ch; BufferedReader in = new BufferedReader(Channels.newReader(ch, StandardCharsets.UTF_8));
             Writer out = Channels.newWriter(ch, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String reply;
                try {
                    reply = handle(Wire.tokens(line), declaredListeners, declaredBackends);
                } catch (RuntimeException e) {
                    reply = Wire.line("ERR", e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                }
                out.write(reply);
                out.write('\n');
                out.flush();
                if (reply.equals("BYE")) {
                    shutdown();
                }
            }
        } catch (IOException e) {
            // the controller went away: keep serving the VIP as it is
        }
        LOG.info("controller disconnected; listeners kept: " + lb.listeners().size());
    }

    private String handle(Iterator<String> in, Set<String> declaredListeners,
                          Map<String, Set<String>> declaredBackends) {
        String command = in.next();
        switch (command) {
            case "HELLO":
                return Wire.line("OK", lb.transportName(), ProcessHandle.current().pid());
            case "LISTEN": {
                ListenerSpec spec = Wire.read(in, ListenerSpec.class);
                BoundListener l = lb.listener(spec.name()).orElse(null);
                if (l != null && !adoptable(l, spec.withAccessControl(l.spec().accessControl()))) {
                    lb.removeListener(spec.name());
                    l = null;
                }
                if (l != null && !Objects.equals(l.spec().accessControl(), spec.accessControl())) {
                    l.changeAccessControl(spec.accessControl()); // an ACL update the last controller did not finish
                }
                if (l == null) {
                    l = lb.addListener(spec);
                }
                declaredListeners.add(spec.name());
                return Wire.line("OK", l.port(), l.portChanged());
            }
            case "UNLISTEN": {
                String name = in.next();
                declaredListeners.remove(name);
                declaredBackends.remove(name);
                return Wire.line("OK", lb.removeListener(name));
            }
            case "SWAP":
                lb.swapPorts(in.next(), in.next());
                return "OK";
            case "LISTENERS": {
                List<BoundListener> all = lb.listeners();
                List<Object> parts = new ArrayList<>();
                parts.add("OK");
                parts.add(all.size());
                for (BoundListener l : all) {
                    parts.add(l.spec());
                    parts.add(l.port());
                    parts.add(l.portChanged());
                }
                return Wire.line(parts.toArray());
            }
            case "BACKEND": {
                BoundListener l = listener(in.next());
                String id = in.next();
                String host = in.next();
                int port = Integer.parseInt(in.next());
                BackendHandle b = find(l, id);
                if (b != null && (!b.host().equals(host) || b.port() != port)) {
                    l.removeBackend(id);
                    b = null;
                }
                if (b == null) {
                    b = l.addBackend(id, host, port);
                }
                declaredBackends.computeIfAbsent(l.spec().name(), k -> new HashSet<>()).add(id);
                return Wire.line("OK", b.eligible());
            }
            case "UNBACKEND": {
                BoundListener l = listener(in.next());
                String id = in.next();
                l.removeBackend(id);
                declaredBackends.getOrDefault(l.spec().name(), Set.of()).remove(id);
                return "OK";
            }
            case "BACKENDS": {
                BoundListener l = listener(in.next());
                List<Object> parts = new ArrayList<>();
                parts.add("OK");
                parts.add(l.backends().size());
                for (BackendHandle b : l.backends()) {
                    parts.add(b.id());
                    parts.add(b.host());
                    parts.add(b.port());
                }
                return Wire.line(parts.toArray());
            }
            case "ELIGIBLE": {
                BoundListener l = listener(in.next());
                String id = in.next();
                boolean value = Boolean.parseBoolean(in.next());
                BackendHandle b = find(l, id);
                if (b == null) {
                    throw new IllegalArgumentException("listener " + l.spec().name() + " has no backend " + id);
                }
                b.setEligible(value);
                return "OK";
            }
            case "ACL": {
                BoundListener l = listener(in.next());
                l.changeAccessControl(Wire.read(in, ListenerSpec.class).accessControl());
                return "OK";
            }
            case "STATS":
                return Wire.line("OK", listener(in.next()).stats());
            case "RECONCILE": {
                int removed = 0;
                for (BoundListener l : lb.listeners()) {
                    String name = l.spec().name();
                    if (!declaredListeners.contains(name)) {
                        lb.removeListener(name);
                        removed++;
                        continue;
                    }
                    Set<String> keep = declaredBackends.getOrDefault(name, Set.of());
                    for (BackendHandle b : l.backends()) {
                        if (!keep.contains(b.id())) {
                            l.removeBackend(b.id());
                            removed++;
                        }
                    }
                }
                return Wire.line("OK", removed);
            }
            case "SHUTDOWN":
                return "BYE";
            default:
                throw new IllegalArgumentException("unknown command " + command);
        }
    }

    /**
     * The listener can serve {@code spec} as it is: the same spec, or one that differs only in the port request and
     * whose bound port satisfies it (an instance input endpoint is declared again with the port it got). A preferred
     * port (an input endpoint's: that port or the next free one) is satisfied by any port: a controller restarted in
     * the middle of a VIP swap may declare the port a listener had before the swap moved it, and the listener with
     * its connections is adopted where it is (the controller then finishes the swap).
     */
    private static boolean adoptable(BoundListener l, ListenerSpec spec) {
        ListenerSpec had = l.spec();
        if (had.equals(spec)) {
            return true;
        }
        ListenerSpec samePort = spec.withPort(had.port());
        return had.equals(samePort) && (spec.port().fallbackOutsideRange()
                || l.port() >= spec.port().min() && l.port() <= spec.port().max());
    }

    private BoundListener listener(String name) {
        return lb.listener(name).orElseThrow(() -> new IllegalArgumentException("no listener " + name));
    }

    private static BackendHandle find(BoundListener l, String id) {
        for (BackendHandle b : l.backends()) {
            if (b.id().equals(id)) {
                return b;
            }
        }
        return null;
    }

    private synchronized void shutdown() {
        lb.close();
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warning("control socket not removed: " + e.getMessage());
        }
        LOG.info("VIP load balancer process stopped");
        System.exit(0);
    }
}
