package org.csemu.lb;

/**
 * Counters of one backend of one listener.
 *
 * @param connections     connections (or UDP flows) sent to it
 * @param active          open now
 * @param connectFailures connects that failed (the client's connection was closed)
 * @param resets          connections the backend reset or broke mid-stream
 * @param bytesToBackend  bytes forwarded to it
 * @param bytesFromBackend bytes it sent back
 */
public record BackendStats(String id, boolean eligible, boolean inRotation, ProbeStatus probe, long connections,
                           long active, long connectFailures, long resets, long bytesToBackend,
                           long bytesFromBackend) {
}
