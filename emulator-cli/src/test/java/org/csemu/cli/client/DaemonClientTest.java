package org.csemu.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.testing.EmptyFabricFactory;
import org.csemu.fabric.daemon.Daemon;
import org.csemu.fabric.daemon.DaemonOptions;
import org.csemu.fabric.daemon.DataDirectory;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real in-process daemon (TCP and unix socket): answers, and each failure's exit code. */
class DaemonClientTest {

    @TempDir
    Path tmp;

    private static DaemonClientException failure(ThrowingCall call) {
        try {
            call.run();
        } catch (DaemonClientException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a DaemonClientException", e);
        }
        throw new AssertionError("expected a DaemonClientException, got success");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void talksToTheDaemonAndMapsRefusalsToExitCodes() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        try (Daemon daemon = Daemon.start(new DaemonOptions(dir, 0, null, false, false), new EmptyFabricFactory())) {
            DaemonClient client = DaemonLocator.connect(dir);
            assertThat(client.get("/api/v1/deployments").isArray()).isTrue();
            assertThat(client.get("/api/v1/daemon").get("pid").asLong()).isEqualTo(daemon.info().pid());

            DaemonClientException notFound = failure(() -> client.get("/api/v1/deployments/nope"));
            assertThat(notFound.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(notFound.httpStatus()).isEqualTo(404);
            assertThat(notFound.getMessage()).contains("'nope' does not exist");

            Path pkg = Files.write(tmp.resolve("app.cspkg"), new byte[4096]);
            DaemonClientException invalid = failure(() -> client.upload("POST",
                    "/api/v1/deployments?configuration=/srv/a.cscfg", pkg, "application/zip"));
            assertThat(invalid.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(invalid.httpStatus()).isEqualTo(422);
            StringWriter printed = new StringWriter();
            invalid.printTo(new PrintWriter(printed));
            assertThat(printed.toString()).contains("cfg.cscfg:3:7: error CSCFG001 role 'Web' is not defined"
                    + " (fix: add it to the definition)");

            DaemonClient wrongToken = new DaemonClient(DaemonLocator.transportFor(daemon.info()), "not-the-token-at-all");
            assertThat(failure(() -> wrongToken.get("/api/v1/deployments")).exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);

            assertThat(failure(() -> client.awaitOperation("op-running", Duration.ofMillis(600))).exitCode())
                    .isEqualTo(ExitCodes.TIMEOUT);
            DaemonClientException failed = failure(() -> client.awaitOperation("op-failed", Duration.ofSeconds(10)));
            assertThat(failed.exitCode()).isEqualTo(ExitCodes.INVALID);
            assertThat(failed.getMessage()).contains("the guest did not report Ready");
        }
        DaemonClientException gone = failure(() -> DaemonLocator.connect(dir));
        assertThat(gone.exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(gone.getMessage()).contains("start it with `csemu daemon start");
    }

    @Test
    void worksOverAUnixSocket() throws Exception {
        DataDirectory dir = new DataDirectory(tmp.resolve("data"));
        Path socket = tmp.resolve("csemu.sock");
        try (Daemon daemon = Daemon.start(new DaemonOptions(dir, 0, socket, false, false), new EmptyFabricFactory())) {
            DaemonClient client = DaemonLocator.connect(dir);
            assertThat(client.describe()).isEqualTo("unix:" + socket);
            assertThat(client.get("/api/v1/daemon").get("url").asText()).isEqualTo("unix:" + socket);
            assertThat(failure(() -> client.get("/api/v1/deployments/x")).httpStatus()).isEqualTo(404);
            Path pkg = Files.write(tmp.resolve("app.cspkg"), new byte[300_000]);
            assertThat(failure(() -> client.upload("POST", "/api/v1/deployments?configuration=/srv/a.cscfg", pkg,
                    "application/zip")).httpStatus()).isEqualTo(422);
            DaemonClient wrongToken = new DaemonClient(SocketTransport.unix(socket), "not-the-token-at-all");
            assertThat(failure(() -> wrongToken.get("/api/v1/daemon")).exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
        }
    }

    @Test
    void followsTheEventStreamOverTcpAndAUnixSocket() throws Exception {
        for (Path socket : new Path[] {null, tmp.resolve("events.sock")}) {
            DataDirectory dir = new DataDirectory(tmp.resolve(socket == null ? "tcp" : "unix"));
            try (Daemon daemon = Daemon.start(new DaemonOptions(dir, 0, socket, false, false), new EmptyFabricFactory())) {
                EmptyFabricFactory.EmptyFabric fabric = EmptyFabricFactory.lastOpened;
                DaemonClient client = DaemonLocator.connect(dir);
                java.util.List<Long> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
                Thread publisher = new Thread(() -> {
                    try {
                        Poller.every(Duration.ofMillis(20)).within(Deadline.after(Duration.ofSeconds(10)), () -> fabric.listenerCount() == 1);
                        fabric.publish(new org.csemu.fabric.api.EventView(3, java.time.Instant.now(), "d", "WebRole_IN_0",
                                "StateChanged", "ReadyRole", "StoppingRole", "3"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                publisher.start();
                long last = client.followEvents(null, 0, e -> {
                    seen.add(e.sequence());
                    return e.sequence() < 3;
                });
                publisher.join(10_000);
                assertThat(seen).containsExactly(1L, 2L, 3L);
                assertThat(last).isEqualTo(3);
                // resuming after 2 gives only what came later
                java.util.List<Long> resumed = new java.util.ArrayList<>();
                client.followEvents(null, 2, e -> {
                    resumed.add(e.sequence());
                    return false;
                });
                assertThat(resumed).containsExactly(3L);
            }
        }
    }

    @Test
    void nothingListeningIsNotRunningAndSilenceIsATimeout() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        DaemonClient nobody = new DaemonClient(SocketTransport.tcp(closedPort), "token-token-token");
        assertThat(failure(() -> nobody.get("/api/v1/daemon")).exitCode()).isEqualTo(ExitCodes.NOT_RUNNING);

        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket held = silent.accept()) {
                    held.getInputStream().readAllBytes(); // never answers; ends when the client gives up
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DaemonClient mute = new DaemonClient(SocketTransport.tcp(silent.getLocalPort()), "token-token-token",
                    Duration.ofMillis(500));
            assertThat(failure(() -> mute.get("/api/v1/daemon")).exitCode()).isEqualTo(ExitCodes.TIMEOUT);
        }

        assertThat(DaemonClient.exitCodeFor(500)).isEqualTo(ExitCodes.DAEMON_ERROR);
        assertThat(DaemonClient.exitCodeFor(403)).isEqualTo(ExitCodes.UNAUTHORIZED);
        assertThat(DaemonClient.exitCodeFor(409)).isEqualTo(ExitCodes.INVALID);
        assertThat(DaemonClient.exitCodeFor(422)).isEqualTo(ExitCodes.INVALID);

        DataDirectory empty = new DataDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> DaemonLocator.connect(empty)).isInstanceOf(DaemonClientException.class)
                .hasMessageContaining("no csemu daemon is running on " + empty);
    }
}
