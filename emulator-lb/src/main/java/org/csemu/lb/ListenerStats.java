package org.csemu.lb;

import java.util.List;

/**
 * Counters of one listener since it was added.
 *
 * @param accepted        connections (TCP) or new flows (UDP) accepted on the VIP port
 * @param refused         of those, closed at once (TCP) or dropped (UDP) because no backend was in rotation
 * @param deniedByAcl     of those, closed at accept (TCP) or dropped (UDP) because the listener's access control
 *                        list denies the source address; never sent to a backend
 * @param active          connections or flows open now
 * @param idleClosed      closed by the idle timeout
 * @param drainClosed     closed because the drain deadline passed or the whole rotation emptied
 * @param bytesFromClients bytes read from clients and forwarded to backends
 * @param bytesToClients  bytes read from backends and forwarded to clients
 * @param peakQueuedBytes the most bytes the proxy ever held queued for one slow peer (backpressure bound)
 * @param backends        per-backend counters
 */
public record ListenerStats(long accepted, long refused, long deniedByAcl, long active, long idleClosed, long drainClosed,
                            long bytesFromClients, long bytesToClients, long peakQueuedBytes,
                            List<BackendStats> backends) {
}
