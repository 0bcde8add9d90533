package org.csemu.lb.core;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BackendStats;
import org.csemu.lb.BoundListener;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.ListenerStats;

/**
 * What TCP and UDP listeners share: the rotation, the counters, and one periodic sweep that advances the idle clock,
 * closes idle flows and flows past their drain deadline. Flows record the tick of their last activity (one volatile
 * read per read) instead of arming a timer each, which keeps the per-connection cost low.
 */
public abstract class ListenerBase implements BoundListener, Rotation.Listener {

    /** How often an ejected backend of a probe-less listener is re-tried (sweeps run at most every second). */
    static final long READMISSION_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** Serialises VIP swaps and ACL changes, so no two of them interleave their writes of a spec. */
    private static final Object SWAPS = new Object();

    private volatile ListenerSpec spec;
    private final String address;
    private volatile int port;
    protected final Rotation rotation;
    private final BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter;
    private final Map<Backend, AutoCloseable> probes = new ConcurrentHashMap<>();
    private final long idleTicks;
    private final long drainNanos;
    private volatile long tick;
    private ScheduledFuture<?> sweeper;
    private volatile boolean closed;

    public final LongAdder accepted = new LongAdder();
    public final LongAdder refused = new LongAdder();
    private final LongAdder deniedByAcl = new LongAdder();
    public final LongAdder active = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();
    private final LongAdder drainClosed = new LongAdder();
    private final LongAdder bytesFromClients = new LongAdder();
    private final LongAdder bytesToClients = new LongAdder();
    private final AtomicLong peakQueuedBytes = new AtomicLong();

    protected ListenerBase(ListenerSpec spec, String address, int port,
                           BiFunction<Backend, ListenerBase, AutoCloseable> probeStarter) {
        this.spec = spec;
        this.address = address;
        this.port = port;
        this.rotation = new Rotation(spec.probe() != null);
        this.rotation.listener(this);
        this.probeStarter = probeStarter;
        long period = sweepPeriodNanos(spec.idleTimeout());
        this.idleTicks = Math.max(1, (spec.idleTimeout().toNanos() + period - 1) / period);
        this.drainNanos = spec.drainTimeout().toNanos();
    }

    /**
     * The endpoint ACL's verdict on a new flow's source, checked before any backend is picked; a denied flow is
     * counted here (and in {@code accepted}) and the caller closes or drops it.
     */
    public boolean admits(InetSocketAddress source) {
        AccessControlList acl = spec.accessControl();
        if (acl == null || acl.permits(source.getAddress())) {
            return true;
        }
        accepted.increment();
        deniedByAcl.increment();
        return false;
    }

    private static long sweepPeriodNanos(Duration idle) {
        long p = idle.toNanos() / 10;
        return Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), p));
    }

    /** Starts the sweep on the given loop; called once the listener is bound. */
    protected void startSweeper(EventLoop loop) {
        long period = sweepPeriodNanos(spec.idleTimeout());
        sweeper = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    /** The idle clock; flows store it on every read. */
    public long tick() {
        return tick;
    }

    private void sweep() {
        long now = ++tick;
        long nowNanos = System.nanoTime();
        for (Backend b : rotation.all()) {
            if (b.ejected() && spec.probe() == null && nowNanos - b.readmissionCheckNanos >= READMISSION_INTERVAL_NANOS) {
                b.readmissionCheckNanos = nowNanos;
                checkReadmission(b);
            }
            long left = b.leftAtNanos;
            boolean drainExpired = !b.inRotation() && left != 0 && nowNanos - left >= drainNanos;
            for (Flow f : b.flows()) {
                if (drainExpired) {
                    drainClosed.increment();
                    f.closeNow();
                } else if (now - f.lastActivityTick() >= idleTicks) {
                    idleClosed.increment();
                    f.closeNow();
                }
            }
        }
        rotation.prune();
    }

    /** The backend for a new flow with this key, or null (counted as refused by the caller). */
    public Backend pick(long key) {
        Backend b = RendezvousHash.pick(rotation.snapshot(), key);
        if (b != null && !b.inRotation()) { // left between snapshot read and now: pick again
            b = RendezvousHash.pick(rotation.snapshot(), key);
        }
        return b;
    }

    /** The backend for a redispatched flow: the best one in rotation it has not failed on yet, or null. */
    public Backend pickExcluding(long key, java.util.List<Backend> failed) {
        return RendezvousHash.pick(rotation.snapshot(), key, failed);
    }

    /** After a flow registered with its backend: close it if the rotation emptied meanwhile. */
    public boolean rotationEmpty() {
        return rotation.snapshot().length == 0;
    }

    public void countBytes(long fromClients, long toClients) {
        if (fromClients != 0) {
            bytesFromClients.add(fromClients);
        }
        if (toClients != 0) {
            bytesToClients.add(toClients);
        }
    }

    public void recordQueued(long bytes) {
        peakQueuedBytes.accumulateAndGet(bytes, Math::max);
    }

    // ---- Rotation.Listener ----

    @Override
    public void left(Backend backend) {
        if (drainNanos == 0) {
            closeFlows(backend);
        }
    }

    @Override
    public void joined(Backend backend) {
    }

    /** The cloud's Basic LB terminates existing flows when every instance is down. */
    @Override
    public void emptied() {
        for (Backend b : rotation.all()) {
            closeFlows(b);
        }
    }

    private void closeFlows(Backend b) {
        for (Flow f : b.flows()) {
            drainClosed.increment();
            f.closeNow();
        }
    }

    // ---- BoundListener ----

    @Override
    public ListenerSpec spec() {
        return spec;
    }

    @Override
    public void changeAccessControl(AccessControlList acl) {
        synchronized (SWAPS) {
            spec = spec.withAccessControl(acl);
        }
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean portChanged() {
        return spec.port().fallbackOutsideRange() && spec.port().min() != 0 && spec.port().min() != port;
    }

    @Override
    public BackendHandle addBackend(String id, String host, int backendPort) {
        if (closed) {
            throw new IllegalStateException("listener " + spec.name() + " was removed");
        }
        Backend b = rotation.add(id, host, backendPort);
        if (spec.probe() != null && !probes.containsKey(b)) {
            probes.put(b, probeStarter.apply(b, this));
        }
        return b;
    }

    @Override
    public void removeBackend(String id) {
        Backend b = rotation.remove(id);
        if (b != null) {
            stopProbe(b);
        }
    }

    private void stopProbe(Backend b) {
        AutoCloseable p = probes.remove(b);
        if (p != null) {
            try {
                p.close();
            } catch (Exception ignored) {
                // a prober's close does not throw
            }
        }
    }

    @Override
    public List<BackendHandle> backends() {
        return new ArrayList<>(rotation.current());
    }

    @Override
    public ListenerStats stats() {
        List<BackendStats> bs = new ArrayList<>();
        for (Backend b : rotation.current()) {
            bs.add(b.stats());
        }
        return new ListenerStats(accepted.sum(), refused.sum(), deniedByAcl.sum(), active.sum(), idleClosed.sum(), drainClosed.sum(),
                bytesFromClients.sum(), bytesToClients.sum(), peakQueuedBytes.get(), List.copyOf(bs));
    }

    /** Unbinds, stops probes and the sweep, closes every flow. */
    public void close() {
        closed = true;
        unbind();
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Backend b : List.copyOf(rotation.all())) {
            stopProbe(b);
            for (Flow f : b.flows()) {
                f.closeNow();
            }
        }
    }

    protected abstract void unbind();

    /**
     * A VIP swap: {@code a} and {@code b} exchange their bound sockets (and the port requests of their specs), and
     * keep everything else — backends, probes, ACL, counters, the flows in flight. From the instant each socket is
     * handed over, a new connection (datagram flow) on it reaches the other listener's backends; a connection accepted
     * before keeps its backend to its end. Each socket switches at one instant (one volatile write); the two sockets
     * switch one after the other, never both to the same side for longer than that write.
     *
     * @throws IllegalArgumentException when the listeners differ in protocol or address
     */
    public static void exchangeSockets(ListenerBase a, ListenerBase b) {
        if (a == b) {
            return;
        }
        if (a.getClass() != b.getClass() || !a.address.equals(b.address)) {
            throw new IllegalArgumentException("cannot swap " + a + " and " + b + ": protocol or address differ");
        }
        synchronized (SWAPS) {
            ListenerSpec specA = a.spec;
            a.spec = specA.withPort(b.spec.port());
            b.spec = b.spec.withPort(specA.port());
            int portA = a.port;
            a.port = b.port;
            b.port = portA;
            a.exchangeSocketsWith(b);
        }
    }

    /** Exchanges the bound sockets with {@code other} (same class), re-pointing each socket's handler. */
    protected abstract void exchangeSocketsWith(ListenerBase other);

    /**
     * An ejected backend of a listener without a probe: try one connect and {@link Backend#readmit()} on success
     * (the listener's own stand-in for the probe it lacks). Called from the sweep, at most every
     * {@link #READMISSION_INTERVAL_NANOS}.
     */
    protected abstract void checkReadmission(Backend backend);

    @Override
    public String toString() {
        return spec.name() + " " + spec.protocol() + " " + address + ":" + port;
    }
}
