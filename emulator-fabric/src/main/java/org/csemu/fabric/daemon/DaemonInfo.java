package org.csemu.fabric.daemon;

import java.time.Instant;

/**
 * What {@code daemon.json} tells clients about the running daemon.
 *
 * @param pid the daemon's process id
 * @param processStartTicks start time of that process ({@code /proc/<pid>/stat} field 22), so that a recycled pid
 *     is never taken for the daemon
 * @param port the loopback TCP port, or {@code null} on a unix socket
 * @param socket the unix socket path, or {@code null}
 * @param url {@code http://127.0.0.1:<port>} or {@code unix:<path>}
 * @param startedAt when the daemon started
 * @param version the csemu version
 * @param dataDirectory the data directory
 */
public record DaemonInfo(long pid, long processStartTicks, Integer port, String socket, String url, Instant startedAt,
        String version, String dataDirectory) {
}
