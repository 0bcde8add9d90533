package org.csemu.lb;

import java.time.Instant;

/**
 * The visible result of a backend's probe.
 *
 * @param state               current health
 * @param lastResult          the last attempt's outcome, e.g. {@code "HTTP 200"}, {@code "HTTP 500"},
 *                            {@code "connect refused"}, {@code "timeout"}; empty before the first attempt
 * @param lastChange          when {@code state} last changed (the backend was added, for {@link ProbeState#UNKNOWN})
 * @param lastProbe           when the last attempt finished, or null
 * @param consecutiveFailures failed attempts since the last success
 * @param probes              attempts so far
 */
public record ProbeStatus(ProbeState state, String lastResult, Instant lastChange, Instant lastProbe,
                          int consecutiveFailures, long probes) {
}
