package org.csemu.lb.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The backends of one listener and the immutable snapshot of those in rotation that every new flow reads. Changes
 * (eligibility, probe verdicts, removal) recompute the snapshot before returning, so a flow opened after
 * {@link Backend#setEligible(boolean) setEligible(false)} returns never picks that backend.
 */
public final class Rotation {

    /** Told about leaves and an emptied rotation, under the rotation's lock. */
    public interface Listener {
        void left(Backend backend);

        void joined(Backend backend);

        void emptied();
    }

    private static final Backend[] NONE = new Backend[0];

    private final List<Backend> all = new CopyOnWriteArrayList<>();
    private final boolean probed;
    private volatile Backend[] inRotation = NONE;
    private Listener listener;

    public Rotation(boolean probed) {
        this.probed = probed;
    }

    void listener(Listener l) {
        this.listener = l;
    }

    synchronized Backend add(String id, String host, int port) {
        for (Backend b : all) {
            if (b.id().equals(id) && !b.removed()) {
                if (b.host().equals(host) && b.port() == port) {
                    return b; // declared again (a controller re-declaring after a restart): the same backend
                }
                throw new IllegalArgumentException("backend " + id + " already exists on this listener at "
                        + b.host() + ":" + b.port());
            }
        }
        Backend b = new Backend(id, host, port, probed, this);
        all.add(b);
        return b;
    }

    synchronized Backend remove(String id) {
        for (Backend b : all) {
            if (b.id().equals(id) && !b.removed()) {
                b.markRemoved();
                recompute();
                return b;
            }
        }
        return null;
    }

    /** Drops removed backends that have no flows left. */
    synchronized void prune() {
        all.removeIf(b -> b.removed() && b.flows().isEmpty());
    }

    List<Backend> all() {
        return all;
    }

    List<Backend> current() {
        List<Backend> out = new ArrayList<>();
        for (Backend b : all) {
            if (!b.removed()) {
                out.add(b);
            }
        }
        return out;
    }

    /** The backends in rotation now (never modified; a new array on every change). */
    public Backend[] snapshot() {
        return inRotation;
    }

    /**
     * Takes a backend out for passive health unless it is the only one in rotation: an ejection never empties the
     * rotation (that would close every flow, the Basic LB's all-down rule), like Envoy's ejection cap.
     */
    synchronized void eject(Backend b) {
        if (b.inRotation() && !b.ejected() && inRotation.length > 1) {
            b.ejected(true);
            recompute();
        }
    }

    synchronized void recompute() {
        List<Backend> next = new ArrayList<>();
        for (Backend b : all) {
            if (b.qualifies()) {
                next.add(b);
            }
        }
        Backend[] before = inRotation;
        Backend[] after = next.toArray(NONE);
        inRotation = after;
        long now = System.nanoTime();
        for (Backend b : all) {
            boolean was = b.inRotation();
            boolean is = next.contains(b);
            b.inRotation(is);
            if (was && !is) {
                b.leftAtNanos = now;
                if (listener != null) {
                    listener.left(b);
                }
            } else if (!was && is) {
                b.leftAtNanos = 0;
                if (listener != null) {
                    listener.joined(b);
                }
            }
        }
        if (before.length > 0 && after.length == 0 && listener != null) {
            listener.emptied();
        }
    }
}
