package org.csemu.fabric.api;

/**
 * What the VIP load balancer counts for one instance on one of its endpoints (cumulative since the backend was added).
 *
 * @param endpoint the input endpoint (or instance input endpoint) name
 * @param inRotation whether new connections on this endpoint may go to the instance now
 * @param ejected out by passive health after a failed forward, until the fabric, the probe or the LB's readmission
 *                connect says it is back
 * @param connections connections sent to it
 * @param active open now
 * @param connectFailures connects it refused
 * @param resets connections it reset
 * @param redispatched connections that failed on it before its first byte and were served by another instance
 * @param ejections times passive health took it out
 */
public record BackendView(String endpoint, boolean inRotation, boolean ejected, long connections, long active,
        long connectFailures, long resets, long redispatched, long ejections) {
}
