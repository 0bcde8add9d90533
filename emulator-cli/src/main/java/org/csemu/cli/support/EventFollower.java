package org.csemu.cli.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.locks.LockSupport;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.daemon.DaemonInfo;

/**
 * Follows the daemon's event stream: server-sent events over TCP ({@code /api/v1/events/stream}, resuming after the
 * last sequence seen when the connection drops), or polling {@code /api/v1/events?since=} on a unix socket.
 */
public final class EventFollower {
    private final DaemonInfo info;
    private final String token;
    private final DaemonClient client;

    public EventFollower(DaemonInfo info, String token, DaemonClient client) {
        this.info = info;
        this.token = token;
        this.client = client;
    }

    /** Delivers events after {@code since} until {@code limit} passes (null: until interrupted). */
    public void follow(String deploymentId, long since, Duration limit, Consumer<EventView> sink)
            throws DaemonClientException, InterruptedException {
        long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
        long[] last = {since};
        Consumer<EventView> tracking = e -> {
            last[0] = Math.max(last[0], e.sequence());
            sink.accept(e);
        };
        if (info.port() == null) {
            poll(deploymentId, last, deadline, tracking);
            return;
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            String query = "?since=" + last[0] + (deploymentId == null ? "" : "&deployment="
                    + DeploymentSelector.encode(deploymentId));
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + info.port()
                    + "/api/v1/events/stream" + query)).header("Authorization", "Bearer " + token)
                    .header("Accept", "text/event-stream").GET().build();
            HttpResponse<InputStream> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new DaemonClientException(ExitCodes.NOT_RUNNING, "the event stream at " + info.url()
                        + " is not reachable: " + e.getMessage(), e);
            }
            if (response.statusCode() != 200) {
                try {
                    response.body().close();
                } catch (IOException ignored) {
                    // refused anyway
                }
                int code = DaemonClient.exitCodeFor(response.statusCode());
                throw new DaemonClientException(code, "the event stream answered HTTP " + response.statusCode());
            }
            readStream(response.body(), deadline, tracking);
        }
    }

    private void readStream(InputStream body, long deadline, Consumer<EventView> sink) throws DaemonClientException {
        Thread watchdog = deadline == Long.MAX_VALUE ? null : new Thread(() -> {
            while (System.nanoTime() < deadline) {
                LockSupport.parkNanos(Math.max(1, Math.min(deadline - System.nanoTime(), 200_000_000L)));
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
            try {
                body.close(); // ends the blocked read below
            } catch (IOException ignored) {
                // closing anyway
            }
        }, "csemu-events-deadline");
        if (watchdog != null) {
            watchdog.setDaemon(true);
            watchdog.start();
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        sink.accept(DaemonClient.convert(DaemonClient.JSON.readTree(data.toString()), EventView.class));
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
        } catch (IOException e) {
            // stream closed (deadline or daemon gone): the caller reconnects or stops
        } finally {
            if (watchdog != null) {
                watchdog.interrupt();
            }
        }
    }

    private void poll(String deploymentId, long[] last, long deadline, Consumer<EventView> sink)
            throws DaemonClientException, InterruptedException {
        while (System.nanoTime() < deadline) {
            List<EventView> batch = Arrays.asList(DaemonClient.convert(client.get("/api/v1/events?since=" + last[0]
                    + (deploymentId == null ? "" : "&deployment=" + DeploymentSelector.encode(deploymentId))),
                    EventView[].class));
            batch.forEach(sink);
            if (batch.isEmpty()) {
                LockSupport.parkNanos(Math.max(1, Math.min(500_000_000L, deadline - System.nanoTime())));
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }
}
