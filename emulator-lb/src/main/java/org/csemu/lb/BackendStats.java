package org.csemu.lb;

/**
 * Counters of one backend of one listener.
 *
 * @param connections     connections (or UDP flows) sent to it
 * @param active          open now
 * @param connectFailures connects that failed (refused, unreachable)
 * @param resets          connections the backend reset or broke
 * @param bytesToBackend  bytes forwarded to it
 * @param bytesFromBackend bytes it sent back
 * @param ejected         out of rotation now by passive health (a failed forward), until the fabric, the probe or the
 *                        readmission connect says it is back
 * @param ejections       times passive health took it out
 * @param redispatched    connections that failed here before it sent a byte and were retried on another backend
 */
public record BackendStats(String id, boolean eligible, boolean inRotation, ProbeStatus probe, long connections,
                           long active, long connectFailures, long resets, long bytesToBackend,
                           long bytesFromBackend, boolean ejected, long ejections, long redispatched) {
}
