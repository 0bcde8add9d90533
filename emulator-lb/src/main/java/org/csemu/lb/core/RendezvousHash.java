package org.csemu.lb.core;

/**
 * Rendezvous (highest-random-weight) hashing: each backend scores every flow key with a strong 64-bit mixer and the
 * highest score wins. It spreads evenly, needs no table, and when a backend joins or leaves only the keys it wins or
 * won move; every other key keeps its backend.
 */
public final class RendezvousHash {

    private RendezvousHash() {
    }

    /** The backend with the highest score for {@code key}, or null when the array is empty. */
    public static Backend pick(Backend[] candidates, long key) {
        return pick(candidates, key, null);
    }

    /**
     * The same, skipping {@code excluded} (the backends a redispatched connection already failed on): the flow goes
     * to its next-best backend, so retries spread like first choices do.
     */
    public static Backend pick(Backend[] candidates, long key, java.util.List<Backend> excluded) {
        Backend best = null;
        long bestScore = Long.MIN_VALUE;
        for (Backend b : candidates) {
            if (excluded != null && excluded.contains(b)) {
                continue;
            }
            long score = mix(key ^ b.seed());
            if (best == null || score > bestScore) {
                best = b;
                bestScore = score;
            }
        }
        return best;
    }

    /** A flow key from the tuple fields; callers pass 0 for the fields their distribution mode leaves out. */
    public static long key(int srcAddress, int srcPort, int dstAddress, int dstPort, int protocol) {
        long h = mix(srcAddress * 0x9E3779B97F4A7C15L + dstAddress);
        h = mix(h + ((long) srcPort << 32 | (dstPort & 0xFFFFL) << 8 | (protocol & 0xFF)));
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: a bijection with full avalanche. */
    public static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xFF51AFD7ED558CCDL;
        z ^= z >>> 33;
        z *= 0xC4CEB9FE1A85EC53L;
        z ^= z >>> 33;
        return z;
    }
}
