package org.csemu.lb.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BackendStats;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.ListenerStats;
import org.csemu.lb.LoadBalancer;
import org.csemu.lb.ProbeStatus;

/**
 * Drives an {@link LbHost} process over its control socket: the same {@link LoadBalancer} API as the in-process one.
 * {@link #adopt} connects to the one serving the socket, or starts one (detached, so it outlives this process) and
 * waits for it. Declaring what already exists adopts it; {@link #reconcile()} then removes what was not declared.
 * {@link #close()} only disconnects (the VIP keeps serving); {@link #shutdown()} stops the process.
 *
 * <p>One {@link #adopt}ed is also supervised: it keeps what it declared ({@link Declarations}), and when the LB
 * process dies (killed, crashed) — noticed by the next call or by a watchdog every {@link #WATCHDOG_INTERVAL} — it
 * starts a new one with the same command and declares everything again, eligibility included, so the VIPs come back
 * by themselves with the last rotation. Connections that were open on the dead process are lost; nothing can save
 * those. Starting and reaching the process is {@link LbProcess}'s, one request on the control socket
 * {@link ControlChannel}'s.
 */
public final class RemoteLoadBalancer implements LoadBalancer {
    private static final System.Logger LOG = System.getLogger(RemoteLoadBalancer.class.getName());
    static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(2);

    private final LbProcess restart; // null: not supervised (connect)
    private final Declarations declared = new Declarations();
    private volatile ControlChannel control; // replaced under this lock; read without it to close
    private volatile String transportName;
    private volatile long pid;
    private final boolean started;
    private volatile boolean closed;
    private int restarts; // guarded by this

    private RemoteLoadBalancer(SocketChannel channel, boolean started, LbProcess restart, Duration watchdogInterval) {
        this.started = started;
        this.restart = restart;
        attach(channel);
        if (restart != null) {
            Thread watchdog = new Thread(() -> watch(watchdogInterval), "csemu-lb-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }

    private synchronized void attach(SocketChannel ch) {
        this.control = new ControlChannel(ch);
        Iterator<String> hello = exchange(new Object[] {"HELLO"});
        this.transportName = hello.next();
        this.pid = Long.parseLong(hello.next());
    }

    /** How many times this controller started the LB process again after it died. */
    public synchronized int restarts() {
        return restarts;
    }

    private void watch(Duration interval) {
        while (!closed) {
            LockSupport.parkNanos(interval.toNanos());
            if (closed) {
                return;
            }
            try {
                call("HELLO");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "VIP load balancer watchdog: " + e.getMessage());
            }
        }
    }

    /** True when an LB process answers on {@code socket}. */
    public static boolean answers(Path socket) {
        return LbProcess.answers(socket);
    }

    /** Connects to the LB process on {@code socket}. */
    public static RemoteLoadBalancer connect(Path socket) throws IOException {
        return new RemoteLoadBalancer(LbProcess.open(socket), false, null, WATCHDOG_INTERVAL);
    }

    /**
     * Connects to the LB process on {@code socket}, or starts {@code command} (which runs {@link LbHost} on that
     * socket) in a new session, its output appended to {@code log}, and waits up to {@code timeout} for it.
     */
    public static RemoteLoadBalancer adopt(Path socket, List<String> command, Path log, Duration timeout)
            throws IOException {
        return adopt(socket, command, log, timeout, WATCHDOG_INTERVAL);
    }

    /** As {@link #adopt(Path, List, Path, Duration)}, its watchdog calling every {@code watchdogInterval}. */
    static RemoteLoadBalancer adopt(Path socket, List<String> command, Path log, Duration timeout,
                                    Duration watchdogInterval) throws IOException {
        LbProcess restart = new LbProcess(socket, command, log, timeout);
        try {
            return new RemoteLoadBalancer(LbProcess.open(socket), false, restart, watchdogInterval);
        } catch (IOException notThere) {
            // start one below
        }
        return new RemoteLoadBalancer(restart.start(), true, restart, watchdogInterval);
    }

    /** The LB process's pid. */
    public long pid() {
        return pid;
    }

    /** True when this call started the process; false when it adopted a running one. */
    public boolean startedProcess() {
        return started;
    }

    /** One request and its reply; when the process died and this controller supervises it, restart and retry once. */
    private synchronized Iterator<String> call(Object... request) {
        try {
            return exchange(request);
        } catch (UncheckedIOException dead) {
            if (restart == null || closed) {
                throw dead;
            }
            restartProcess(dead);
            return exchange(request);
        }
    }

    /** Start a new LB process and declare again everything this controller has declared. */
    private void restartProcess(UncheckedIOException cause) {
        long deadPid = pid;
        control.close(); // it is dead already, or only this connection broke
        // only the control connection may have broken: a live process keeps its VIPs and is adopted again
        boolean alive = ProcessHandle.of(deadPid).map(ProcessHandle::isAlive).orElse(false);
        try {
            if (alive) {
                attach(LbProcess.open(restart.socket()));
            } else {
                Files.deleteIfExists(restart.socket()); // a dead process's socket file refuses connections
                attach(restart.start());
                restarts++;
            }
        } catch (IOException | UncheckedIOException e) {
            throw new UncheckedIOException("the VIP load balancer process " + deadPid + (alive ? " does not answer"
                    : " died") + " (" + cause.getMessage() + ") and could not be " + (alive ? "reached" : "started")
                    + " again: " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
        int n = declared.replay(this::exchange, !alive);
        LOG.log(System.Logger.Level.WARNING, "VIP load balancer process " + deadPid + (alive
                ? " dropped its control connection; reconnected" : " died (" + cause.getMessage() + "); started " + pid)
                + " and declared again " + n + " listener(s) and backend(s)");
    }

    private Iterator<String> exchange(Object[] request) {
        return control.exchange(request);
    }

    @Override
    public String transportName() {
        return transportName;
    }

    @Override
    public BoundListener addListener(ListenerSpec spec) {
        Iterator<String> t = call("LISTEN", spec);
        Listener l = new Listener(spec, Integer.parseInt(t.next()), Boolean.parseBoolean(t.next()));
        declared.listener(spec, l.port());
        return l;
    }

    @Override
    public boolean removeListener(String name) {
        boolean removed = Boolean.parseBoolean(call("UNLISTEN", name).next());
        declared.removeListener(name);
        return removed;
    }

    @Override
    public void swapPorts(String a, String b) {
        call("SWAP", a, b);
        declared.swapPorts(a, b);
    }

    @Override
    public Optional<BoundListener> listener(String name) {
        return listeners().stream().filter(l -> l.spec().name().equals(name)).findFirst();
    }

    @Override
    public List<BoundListener> listeners() {
        Iterator<String> t = call("LISTENERS");
        int n = Integer.parseInt(t.next());
        List<BoundListener> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ListenerSpec spec = Wire.read(t, ListenerSpec.class);
            out.add(new Listener(spec, Integer.parseInt(t.next()), Boolean.parseBoolean(t.next())));
        }
        return out;
    }

    /** Removes every listener and backend this connection did not declare; returns how many. */
    public int reconcile() {
        return Integer.parseInt(call("RECONCILE").next());
    }

    /** Stops the LB process: every VIP listener closes. */
    public void shutdown() {
        closed = true;
        try {
            exchange(new Object[] {"SHUTDOWN"});
        } finally {
            close();
        }
    }

    /** Disconnects; the LB process keeps serving. */
    @Override
    public void close() {
        closed = true;
        control.close();
    }

    private final class Listener implements BoundListener {
        private volatile ListenerSpec spec;
        private final int port;
        private final boolean portChanged;

        Listener(ListenerSpec spec, int port, boolean portChanged) {
            this.spec = spec;
            this.port = port;
            this.portChanged = portChanged;
        }

        @Override
        public ListenerSpec spec() {
            return spec;
        }

        @Override
        public void changeAccessControl(AccessControlList acl) {
            ListenerSpec next = spec.withAccessControl(acl);
            call("ACL", next.name(), next); // the whole spec: the wire writes a nullable record inside a record
            declared.listener(next, port);
            spec = next;
        }

        @Override
        public String address() {
            return spec.address();
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public boolean portChanged() {
            return portChanged;
        }

        @Override
        public BackendHandle addBackend(String id, String host, int backendPort) {
            call("BACKEND", spec.name(), id, host, backendPort);
            declared.backend(spec.name(), id, host, backendPort);
            return new Backend(this, id, host, backendPort);
        }

        @Override
        public void removeBackend(String id) {
            call("UNBACKEND", spec.name(), id);
            declared.removeBackend(spec.name(), id);
        }

        @Override
        public List<BackendHandle> backends() {
            Iterator<String> t = call("BACKENDS", spec.name());
            int n = Integer.parseInt(t.next());
            List<BackendHandle> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new Backend(this, t.next(), t.next(), Integer.parseInt(t.next())));
            }
            return out;
        }

        @Override
        public ListenerStats stats() {
            return Wire.read(call("STATS", spec.name()), ListenerStats.class);
        }
    }

    private final class Backend implements BackendHandle {
        private final Listener listener;
        private final String id;
        private final String host;
        private final int port;

        Backend(Listener listener, String id, String host, int port) {
            this.listener = listener;
            this.id = id;
            this.host = host;
            this.port = port;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public void setEligible(boolean eligible) {
            call("ELIGIBLE", listener.spec.name(), id, eligible);
            declared.eligible(listener.spec.name(), id, eligible);
        }

        @Override
        public boolean eligible() {
            return stats().eligible();
        }

        @Override
        public boolean inRotation() {
            return stats().inRotation();
        }

        @Override
        public ProbeStatus probeStatus() {
            return stats().probe();
        }

        @Override
        public BackendStats stats() {
            return listener.stats().backends().stream().filter(b -> b.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("backend " + id + " is gone from "
                            + listener.spec.name()));
        }
    }
}
