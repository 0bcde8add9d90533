package org.csemu.fabric.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Is pid N really the csemu daemon of this data directory? Answered from {@code /proc}: the process start time
 * recorded in {@code daemon.json} (pids are recycled) and the command line (a csemu daemon, and when it names a
 * data directory, this one). Signals are only ever sent to a process that passes.
 */
public final class ProcessIdentity {

    private ProcessIdentity() {
    }

    /** Field 22 of {@code /proc/<pid>/stat} (start time in clock ticks since boot), or -1 when there is no such process. */
    public static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(rest[22 - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The command line of a process, or an empty list. */
    public static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Whether the process that wrote {@code info} still runs: same pid and same start time. Enough to trust the
     * file's address; signalling needs {@link #isDaemonOf} as well.
     */
    public static boolean isAlive(DaemonInfo info) {
        long ticks = startTicks(info.pid());
        return ticks >= 0 && (info.processStartTicks() <= 0 || ticks == info.processStartTicks());
    }

    /**
     * Whether {@code info} describes a live csemu daemon process serving {@code dataDirectory} whose command line
     * shows it: the condition for sending it a signal (a daemon embedded in another program is never signalled).
     */
    public static boolean isDaemonOf(DaemonInfo info, DataDirectory dataDirectory) {
        if (!isAlive(info)) {
            return false;
        }
        Path cwd;
        try {
            cwd = Files.readSymbolicLink(Path.of("/proc", Long.toString(info.pid()), "cwd"));
        } catch (IOException | UnsupportedOperationException e) {
            cwd = Path.of("/");
        }
        return isDaemonCommandLine(commandLine(info.pid()), cwd, dataDirectory);
    }

    /** The command-line half of {@link #isDaemonOf}; public for tests. */
    public static boolean isDaemonCommandLine(List<String> cmd, Path cwd, DataDirectory dataDirectory) {
        boolean daemonMain = cmd.contains(DaemonMain.class.getName());
        boolean cliDaemonRun = (cmd.contains("org.csemu.cli.Main") || cmd.stream().anyMatch(a -> a.endsWith("csemu.jar")))
                && cmd.contains("daemon") && cmd.contains("run");
        if (!daemonMain && !cliDaemonRun) {
            return false;
        }
        int i = cmd.indexOf("--data-dir");
        if (i >= 0 && i + 1 < cmd.size()) {
            return new DataDirectory(cwd.resolve(cmd.get(i + 1))).equals(dataDirectory);
        }
        for (String a : cmd) {
            if (a.startsWith("--data-dir=")) {
                return new DataDirectory(cwd.resolve(a.substring("--data-dir=".length()))).equals(dataDirectory);
            }
        }
        return true; // data directory from the environment: the start time already ties the pid to daemon.json
    }
}
