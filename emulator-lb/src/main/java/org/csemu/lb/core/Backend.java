package org.csemu.lb.core;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BackendStats;
import org.csemu.lb.ProbeState;
import org.csemu.lb.ProbeStatus;

/**
 * A backend of one listener: the fabric's eligibility, the probe's verdict, passive health (ejected after a failed
 * forward), its open flows and counters. In rotation exactly when eligible, probe up (or no probe), not ejected and not
 * removed. An ejection ends when the fabric says eligible again, the probe succeeds, or (no probe) the listener's own
 * readmission connect succeeds.
 */
public final class Backend implements BackendHandle {

    private static final ProbeStatus NO_PROBE = new ProbeStatus(ProbeState.UP, "", Instant.EPOCH, null, 0, 0);

    private final String id;
    private final String host;
    private final int port;
    private final InetSocketAddress address;
    private final long seed;
    private final Rotation rotation;
    private volatile boolean eligible;
    private volatile boolean probeUp;
    private volatile boolean removed;
    private volatile boolean ejected;
    /** System.nanoTime() of the last readmission connect started for an ejected backend of a probe-less listener. */
    long readmissionCheckNanos;
    private volatile boolean inRotation;
    /** System.nanoTime() when it last left rotation; 0 while in rotation or never in. */
    volatile long leftAtNanos;
    private volatile Supplier<ProbeStatus> probeStatus = () -> NO_PROBE;

    private final Set<Flow> flows = ConcurrentHashMap.newKeySet();
    final LongAdder connections = new LongAdder();
    final LongAdder active = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder redispatched = new LongAdder();
    final LongAdder ejections = new LongAdder();
    final LongAdder bytesToBackend = new LongAdder();
    final LongAdder bytesFromBackend = new LongAdder();

    Backend(String id, String host, int port, boolean hasProbe, Rotation rotation) {
        this.id = id;
        this.host = host;
        this.port = port;
        this.address = new InetSocketAddress(host, port);
        if (address.isUnresolved() || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("backend " + id + ": " + host + " is not a loopback address");
        }
        this.seed = RendezvousHash.mix(RendezvousHash.mix(id.hashCode()) ^ hash64(id));
        this.probeUp = !hasProbe;
        this.rotation = rotation;
    }

    private static long hash64(String s) {
        long h = 1125899906842597L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    long seed() {
        return seed;
    }

    public InetSocketAddress address() {
        return address;
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
        this.eligible = eligible;
        if (eligible) {
            this.ejected = false; // the fabric says it is (back) in service: that ends a passive ejection
        }
        rotation.recompute();
    }

    @Override
    public boolean eligible() {
        return eligible;
    }

    @Override
    public boolean inRotation() {
        return inRotation;
    }

    boolean qualifies() {
        return eligible && probeUp && !removed && !ejected;
    }

    public boolean ejected() {
        return ejected;
    }

    /** Passive health: out of rotation at once after a failed forward, unless it is the last one in rotation. */
    public void eject() {
        rotation.eject(this);
    }

    void ejected(boolean value) {
        this.ejected = value;
        if (value) {
            ejections.increment();
        }
    }

    /** Ends a passive ejection (the probe or the readmission connect succeeded). */
    public void readmit() {
        if (ejected) {
            ejected = false;
            rotation.recompute();
        }
    }

    void inRotation(boolean value) {
        this.inRotation = value;
    }

    /** The probe's verdict; called by the prober. */
    public void probeUp(boolean up) {
        if (this.probeUp != up || up && ejected) {
            this.probeUp = up;
            if (up) {
                this.ejected = false;
            }
            rotation.recompute();
        }
    }

    public void probeStatusSource(Supplier<ProbeStatus> source) {
        this.probeStatus = source;
    }

    void markRemoved() {
        this.removed = true;
    }

    boolean removed() {
        return removed;
    }

    @Override
    public ProbeStatus probeStatus() {
        return probeStatus.get();
    }

    // ---- flows and counters, called by the forwarders ----

    /** A flow was sent here. */
    public void flowOpened(Flow flow) {
        flows.add(flow);
        connections.increment();
        active.increment();
    }

    public void flowClosed(Flow flow) {
        if (flows.remove(flow)) {
            active.decrement();
        }
    }

    Set<Flow> flows() {
        return flows;
    }

    public void connectFailed() {
        connectFailures.increment();
    }

    public void reset() {
        resets.increment();
    }

    /** A connection failed here before the backend sent a byte and was sent to another backend. */
    public void redispatched() {
        redispatched.increment();
    }

    public void bytes(long toBackend, long fromBackend) {
        if (toBackend != 0) {
            bytesToBackend.add(toBackend);
        }
        if (fromBackend != 0) {
            bytesFromBackend.add(fromBackend);
        }
    }

    @Override
    public BackendStats stats() {
        return new BackendStats(id, eligible, inRotation, probeStatus(), connections.sum(), active.sum(),
                connectFailures.sum(), resets.sum(), bytesToBackend.sum(), bytesFromBackend.sum(), ejected,
                ejections.sum(), redispatched.sum());
    }

    @Override
    public String toString() {
        return id + "@" + host + ":" + port;
    }
}
