package org.csemu.fabric.daemon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How to run a daemon; also its command-line form, so that {@code csemu daemon start} re-executes exactly what
 * {@code csemu daemon run} would do.
 *
 * @param dataDirectory where its state, token, lock and logs live
 * @param port loopback TCP port (0 = any free one, {@link #PREFERRED_PORT} = 7070 when free, else any free one, so
 *             that several users' daemons on one host coexist); ignored with a socket
 * @param socket unix socket path instead of TCP, or {@code null}
 * @param stopInstancesOnExit stop the VMs on shutdown (by default they keep running and are adopted next start)
 * @param consoleLog also log to the terminal (foreground)
 */
public record DaemonOptions(DataDirectory dataDirectory, int port, Path socket, boolean stopInstancesOnExit,
        boolean consoleLog) {

    public static final int DEFAULT_PORT = 7070;
    /** No port asked for: {@link #DEFAULT_PORT} when it is free, else any free one (daemon.json says which). */
    public static final int PREFERRED_PORT = -1;

    public DaemonOptions {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        if (port < PREFERRED_PORT || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, not " + port);
        }
        socket = socket == null ? null : socket.toAbsolutePath().normalize();
    }

    /** The arguments {@link DaemonMain} parses back into these options. */
    public List<String> toArguments() {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDirectory.root().toString()));
        if (socket != null) {
            args.addAll(List.of("--socket", socket.toString()));
        } else {
            args.addAll(List.of("--port", port == PREFERRED_PORT ? "preferred" : Integer.toString(port)));
        }
        if (stopInstancesOnExit) {
            args.add("--stop-instances-on-exit");
        }
        if (!consoleLog) {
            args.add("--no-console-log");
        }
        return args;
    }

    /** Parses {@link #toArguments()}; throws {@link IllegalArgumentException} with a usage message. */
    public static DaemonOptions parse(List<String> args) {
        Path dataDir = null;
        int port = PREFERRED_PORT;
        Path socket = null;
        boolean stop = false;
        boolean console = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                case "--port" -> {
                    String v = value(args, ++i, a);
                    if (v.equals("preferred")) {
                        port = PREFERRED_PORT;
                        continue;
                    }
                    try {
                        port = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port needs a number, not '" + v + "'");
                    }
                }
                case "--socket" -> socket = Path.of(value(args, ++i, a));
                case "--stop-instances-on-exit" -> stop = true;
                case "--no-console-log" -> console = false;
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        return new DaemonOptions(DataDirectory.resolve(dataDir), port, socket, stop, console);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
