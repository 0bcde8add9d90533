package org.csemu.fabric.daemon;

import java.util.List;

/**
 * Entry point of the daemon process ({@code java -cp csemu.jar org.csemu.fabric.daemon.DaemonMain --data-dir D
 * [--port N | --socket PATH] [--stop-instances-on-exit] [--no-console-log]}); {@code csemu daemon start} runs
 * this in the background, {@code csemu daemon run} does the same in the foreground.
 */
public final class DaemonMain {

    private DaemonMain() {
    }

    public static void main(String[] args) {
        DaemonOptions options;
        try {
            options = DaemonOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("csemu daemon: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    /** Runs until signalled; returns the exit code (1 when it cannot start, with the reason on stderr). */
    public static int run(DaemonOptions options) {
        try {
            Daemon.runUntilSignalled(options);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            System.err.println("csemu daemon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }
}
