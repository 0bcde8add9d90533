package org.csemu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.client.DaemonLocator;
import org.csemu.fabric.runtime.VipProcess;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonLauncher;
import org.csemu.fabric.daemon.DaemonLock;
import org.csemu.fabric.daemon.DaemonMain;
import org.csemu.fabric.daemon.DaemonOptions;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.daemon.DataDirectory;
import org.csemu.fabric.daemon.ProcessIdentity;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code csemu daemon run|start|stop|status}: the fabric daemon's process, on one data directory. */
@Command(name = "daemon", mixinStandardHelpOptions = true,
        description = "Run, start, stop or query the csemu daemon (the fabric controller and its management API).",
        subcommands = {DaemonCommand.Run.class, DaemonCommand.Start.class, DaemonCommand.Stop.class,
            DaemonCommand.Status.class})
public final class DaemonCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --data-dir}, shared by every subcommand. */
    static final class DataDirOption {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The daemon's data directory (default: $CSEMU_DATA_DIR, else /var/lib/csemu for root and"
                        + " $XDG_DATA_HOME/csemu, i.e. ~/.local/share/csemu, for any other user).")
        Path dataDir;

        DataDirectory resolve() {
            return DataDirectory.resolve(dataDir);
        }
    }

    /** Where the API listens and what happens to instances on exit. */
    static final class ListenOptions {
        @ArgGroup(exclusive = true)
        Listen listen = new Listen();

        @Option(names = "--stop-instances-on-exit",
                description = "Stop the VMs when the daemon exits (default: they keep running and the next daemon adopts them).")
        boolean stopInstancesOnExit;

        static final class Listen {
            @Option(names = "--port", paramLabel = "N",
                    description = "TCP port on 127.0.0.1 (0 = any free port; the chosen one is in daemon.json). Default:"
                            + " 7070, or any free port when 7070 is taken (another user's daemon).")
            Integer port;

            @Option(names = "--socket", paramLabel = "PATH", description = "Listen on this unix socket instead of TCP.")
            Path socket;
        }

        DaemonOptions toOptions(DataDirectory dir, boolean console) {
            return new DaemonOptions(dir, listen.port == null ? DaemonOptions.PREFERRED_PORT : listen.port,
                    listen.socket, stopInstancesOnExit, console);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the daemon in the foreground, logging to the terminal and to <data-dir>/logs/daemon.log.")
    static final class Run implements Callable<Integer> {
        @Mixin
        DataDirOption dir;
        @Mixin
        ListenOptions listen;

        @Override
        public Integer call() {
            int code = DaemonMain.run(listen.toOptions(dir.resolve(), true));
            return code == 0 ? ExitCodes.OK : ExitCodes.DAEMON_ERROR;
        }
    }

    /**
     * A subcommand on one data directory ({@code start}, {@code stop}, {@code status}): a daemon that cannot be
     * reached or refuses the token ends it with that failure's exit code and message.
     */
    abstract static class OnDataDirectory implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        DataDirOption dir;

        @Override
        public final Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            DataDirectory data = dir.resolve();
            try {
                return run(data, out, err);
            } catch (DaemonClientException e) {
                e.printTo(err);
                return e.exitCode();
            }
        }

        /** The subcommand's work on {@code data}; returns its exit code. */
        abstract int run(DataDirectory data, PrintWriter out, PrintWriter err) throws Exception;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start the daemon in the background and wait until its API answers.")
    static final class Start extends OnDataDirectory {
        @Mixin
        ListenOptions listen;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for the API to answer. Default: ${DEFAULT-VALUE}.")
        long timeoutSeconds;

        @Override
        int run(DataDirectory data, PrintWriter out, PrintWriter err) throws Exception {
            Optional<DaemonInfo> running = DaemonLocator.runningDaemon(data);
            if (running.isPresent() && answers(data, running.get())) {
                out.println("csemu daemon already running at " + running.get().url() + " (pid "
                        + running.get().pid() + ", data directory " + data + ")");
                return ExitCodes.OK;
            }
            Process child = DaemonLauncher.spawn(listen.toOptions(data, false));
            DaemonInfo[] ready = new DaemonInfo[1];
            Poller every100ms = Poller.every(Duration.ofMillis(100));
            boolean up = every100ms.within(Deadline.after(Duration.ofSeconds(timeoutSeconds)), () -> {
                Optional<DaemonInfo> info = DaemonLocator.runningDaemon(data);
                if (info.isPresent() && (info.get().pid() == child.pid() || !child.isAlive())
                        && answers(data, info.get())) {
                    ready[0] = info.get();
                    return true;
                }
                if (!child.isAlive() && child.exitValue() != 0) {
                    throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the daemon exited with status "
                            + child.exitValue() + " while starting; the end of " + data.logFile() + ":\n"
                            + tail(data.logFile(), 15));
                }
                return false;
            });
            if (!up) {
                err.println("csemu: the daemon (pid " + child.pid() + ") did not answer within " + timeoutSeconds
                        + " s; it may still be starting: see `csemu daemon status` and " + data.logFile());
                return ExitCodes.TIMEOUT;
            }
            out.println("csemu daemon running at " + ready[0].url() + " (pid " + ready[0].pid()
                    + ", data directory " + data + ")");
            out.println("log: " + data.logFile());
            return ExitCodes.OK;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the daemon (SIGTERM) and its VIP load balancer process, and wait for them to exit."
                    + " Instances keep running unless it was started with --stop-instances-on-exit. Exit 0 also"
                    + " when no daemon was running.")
    static final class Stop extends OnDataDirectory {
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "How long to wait for it to exit. Default: ${DEFAULT-VALUE}.")
        long timeoutSeconds;
        @Option(names = "--force", description = "Kill it (SIGKILL) if it has not exited by then.")
        boolean force;
        @Option(names = "--keep-vip", description = "Leave the VIP load balancer process running: the endpoints keep"
                + " serving (last rotation) until the next `daemon start` adopts it. For an upgrade or a restart.")
        boolean keepVip;

        @Override
        int run(DataDirectory data, PrintWriter out, PrintWriter err) throws Exception {
            int code = stopDaemon(data, out, err);
            if (code == ExitCodes.OK) {
                if (keepVip) {
                    long pid = VipProcess.runningPid(data.root());
                    if (pid > 0) {
                        out.println("the VIP keeps serving (load balancer pid " + pid + ")");
                    }
                } else {
                    long pid = VipProcess.stopOrphan(data.root()); // left behind by a killed daemon
                    if (pid > 0) {
                        out.println("VIP load balancer (pid " + pid + ") stopped");
                    }
                }
            }
            return code;
        }

        private int stopDaemon(DataDirectory data, PrintWriter out, PrintWriter err) throws Exception {
            Optional<DaemonInfo> running = DaemonLocator.runningDaemon(data);
            if (running.isEmpty()) {
                removeStaleInfo(data, out);
                out.println("no csemu daemon is running on " + data);
                return ExitCodes.OK;
            }
            DaemonInfo info = running.get();
            if (!ProcessIdentity.isDaemonOf(info, data)) {
                err.println("csemu: process " + info.pid() + " serves " + data + " but is not a csemu daemon"
                        + " process (the daemon is embedded in another program); stop it there");
                return ExitCodes.DAEMON_ERROR;
            }
            ProcessHandle process = ProcessHandle.of(info.pid()).orElse(null);
            if (process == null) {
                out.println("no csemu daemon is running on " + data);
                return ExitCodes.OK;
            }
            if (keepVip) {
                VipProcess.keepOnNextExit(data.root());
            }
            process.destroy(); // SIGTERM: the daemon's shutdown hook stops it cleanly
            Poller every100ms = Poller.every(Duration.ofMillis(100));
            if (every100ms.within(Deadline.after(Duration.ofSeconds(timeoutSeconds)), () -> !process.isAlive())) {
                out.println("csemu daemon (pid " + info.pid() + ") stopped");
                return ExitCodes.OK;
            }
            if (force) {
                process.destroyForcibly();
                if (every100ms.within(Deadline.after(Duration.ofSeconds(10)), () -> !process.isAlive())) {
                    out.println("csemu daemon (pid " + info.pid() + ") killed after " + timeoutSeconds + " s");
                    return ExitCodes.OK;
                }
            }
            err.println("csemu: the daemon (pid " + info.pid() + ") has not exited after " + timeoutSeconds
                    + " s; see " + data.logFile() + (force ? "" : ", or use --force"));
            return ExitCodes.TIMEOUT;
        }

        /** A daemon.json without its daemon (killed with SIGKILL, host crash): remove it if the lock is free. */
        private static void removeStaleInfo(DataDirectory data, PrintWriter out) throws IOException {
            if (!Files.exists(data.infoFile()) || !Files.exists(data.lockFile())) {
                return;
            }
            try (DaemonLock lock = DaemonLock.acquire(data.lockFile())) {
                Files.deleteIfExists(data.infoFile());
                out.println("removed a stale " + data.infoFile());
            } catch (DaemonLock.AlreadyRunningException e) {
                // something holds the lock: leave its files alone
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Tell whether the daemon runs and answers: exit 0 running, 3 not running,"
                    + " 4 token refused, 5 not answering.")
    static final class Status extends OnDataDirectory {
        @Option(names = "--json", description = "Print the daemon's status as JSON.")
        boolean json;

        @Override
        int run(DataDirectory data, PrintWriter out, PrintWriter err) throws DaemonClientException {
            try {
                DaemonInfo info = DaemonLocator.runningDaemon(data).orElse(null);
                DaemonScope scope = DaemonScope.current();
                if (info == null) {
                    out.println("csemu daemon: not running (data directory " + data + ")");
                    out.println("a daemon started now: " + scope.kind().label() + " daemon of " + scope.user() + ", "
                            + scope.libvirtUri());
                    return ExitCodes.NOT_RUNNING;
                }
                DaemonClient client = new DaemonClient(DaemonLocator.transportFor(info), DaemonLocator.readToken(data),
                        Duration.ofSeconds(10));
                JsonNode status = client.get("/api/v1/daemon");
                if (json) {
                    out.println(DaemonClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(status));
                } else {
                    out.println("csemu daemon: running at " + info.url() + " (pid " + info.pid() + ", version "
                            + info.version() + ", since " + info.startedAt() + ", data directory " + data + ")");
                    out.println(status.path("scope").asText("?") + " daemon of " + status.path("user").asText("?")
                            + ", libvirt " + status.path("libvirtUri").asText("?"));
                }
                return ExitCodes.OK;
            } catch (IOException e) {
                err.println("csemu: " + e.getMessage());
                return ExitCodes.DAEMON_ERROR;
            }
        }
    }

    static boolean answers(DataDirectory data, DaemonInfo info) {
        try {
            new DaemonClient(DaemonLocator.transportFor(info), DaemonLocator.readToken(data), Duration.ofSeconds(5))
                    .get("/api/v1/daemon");
            return true;
        } catch (DaemonClientException e) {
            return false;
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
