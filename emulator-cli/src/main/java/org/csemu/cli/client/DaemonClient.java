package org.csemu.cli.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.csemu.cli.ExitCodes;
import org.csemu.fabric.api.ErrorView;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.OperationStatus;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.server.Json;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/**
 * The CLI's view of the management API: sends the token, decodes answers, and turns every failure into a
 * {@link DaemonClientException} carrying the command's exit code (1 refused, 3 not running, 4 token refused,
 * 5 timeout, 6 daemon failure).
 */
public final class DaemonClient {

    /** Lenient on reading: a newer daemon may add fields. */
    public static final ObjectMapper JSON = Json.MAPPER.copy()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(30);

    private final HttpTransport transport;
    private final String token;
    private final Duration timeout;

    public DaemonClient(HttpTransport transport, String token) {
        this(transport, token, DEFAULT_TIMEOUT);
    }

    public DaemonClient(HttpTransport transport, String token, Duration timeout) {
        this.transport = transport;
        this.token = token;
        this.timeout = timeout;
    }

    public DaemonClient withTimeout(Duration t) {
        return new DaemonClient(transport, token, t);
    }

    public String describe() {
        return transport.describe();
    }

    public JsonNode get(String path) throws DaemonClientException {
        return json(send("GET", path, null, null, null, timeout));
    }

    public <T> T get(String path, Class<T> type) throws DaemonClientException {
        return convert(get(path), type);
    }

    /** A text resource (an instance console). */
    public String getText(String path) throws DaemonClientException {
        return new String(send("GET", path, null, null, null, timeout).body(), StandardCharsets.UTF_8);
    }

    public JsonNode post(String path, Object body) throws DaemonClientException {
        return json(send("POST", path, "application/json", body == null ? null : Json.write(body), null, timeout));
    }

    public JsonNode put(String path, Object body) throws DaemonClientException {
        return json(send("PUT", path, "application/json", Json.write(body), null, timeout));
    }

    public JsonNode delete(String path) throws DaemonClientException {
        return json(send("DELETE", path, null, null, null, timeout));
    }

    /** Streams a file as the request body ({@code application/zip} for a package). */
    public JsonNode upload(String method, String path, Path file, String contentType) throws DaemonClientException {
        return json(send(method, path, contentType, null, file, UPLOAD_TIMEOUT));
    }

    /** Polls an operation until it ends: its view when Succeeded, exit 1 when Failed, exit 5 past the timeout. */
    public OperationView awaitOperation(String operationId, Duration limit) throws DaemonClientException {
        OperationView[] last = new OperationView[1];
        boolean done;
        try {
            done = Poller.every(Duration.ofMillis(250)).within(Deadline.after(limit), () -> {
                last[0] = get("/api/v1/operations/" + operationId, OperationView.class);
                return last[0].status().isDone();
            });
        } catch (DaemonClientException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonClientException(ExitCodes.TIMEOUT, "interrupted while waiting for operation " + operationId);
        } catch (Exception e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, e.toString(), e);
        }
        if (!done) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, "operation " + operationId + " (" + last[0].kind()
                    + ") did not finish within " + limit.toSeconds() + " s; it continues in the daemon");
        }
        if (last[0].status() == OperationStatus.Failed) {
            ErrorView e = last[0].error();
            throw new DaemonClientException(ExitCodes.INVALID, 0, e, "operation " + operationId + " ("
                    + last[0].kind() + ") failed" + (e == null ? "" : ": " + e.message()), null);
        }
        return last[0];
    }

    /**
     * Follows the event log ({@code GET /api/v1/events/stream}): events after {@code afterSequence} (none of the past
     * when negative), then live ones, each given to {@code handler} until it returns {@code false} or the daemon
     * ends the stream. Returns the sequence of the last event handled (resume from it).
     */
    public long followEvents(String deploymentId, long afterSequence, Predicate<EventView> handler)
            throws DaemonClientException {
        String path = "/api/v1/events/stream" + (deploymentId == null ? ""
                : "?deployment=" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "text/event-stream");
        if (afterSequence >= 0) {
            headers.put("Last-Event-ID", Long.toString(afterSequence));
        }
        long last = afterSequence;
        try (HttpTransport.StreamedResponse r = transport.open(new HttpTransport.Request("GET", path, headers, null,
                null, null, timeout))) {
            if (r.status() >= 400) {
                throw failure(new HttpTransport.Response(r.status(), r.headers(), r.body().readAllBytes()));
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            StringBuilder data = new StringBuilder();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("data:")) {
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                } else if (line.isEmpty() && data.length() > 0) {
                    EventView event = JSON.readValue(data.toString(), EventView.class);
                    data.setLength(0);
                    last = event.sequence();
                    if (!handler.test(event)) {
                        return last;
                    }
                }
            }
            return last;
        } catch (DaemonClientException e) {
            throw e;
        } catch (HttpTimeoutException e) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, "the daemon at " + transport.describe()
                    + " did not open the event stream in time", e);
        } catch (ConnectException e) {
            throw new DaemonClientException(ExitCodes.NOT_RUNNING, "no csemu daemon answers at " + transport.describe()
                    + "; start it with `csemu daemon start`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return last;
        } catch (IOException e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the event stream from " + transport.describe()
                    + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a command in an instance ({@code POST …/instances/{i}/exec}): each output line to {@code output} as the
     * daemon streams it; returns the command's exit code. {@code stdin} (empty: none) is the command's whole stdin.
     */
    public int exec(String path, String command, boolean elevated, byte[] stdin,
            java.util.function.Consumer<String> output) throws DaemonClientException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", command);
        body.put("elevated", elevated);
        if (stdin.length > 0) {
            body.put("stdin64", java.util.Base64.getEncoder().encodeToString(stdin));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", "Bearer " + token);
        headers.put("Accept", "application/x-ndjson");
        try (HttpTransport.StreamedResponse r = transport.open(new HttpTransport.Request("POST", path, headers,
                "application/json", JSON.writeValueAsBytes(body), null, timeout))) {
            if (r.status() >= 400) {
                throw failure(new HttpTransport.Response(r.status(), r.headers(), r.body().readAllBytes()));
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                if (n.has("output")) {
                    output.accept(n.get("output").asText());
                } else if (n.has("exitCode")) {
                    return n.get("exitCode").asInt();
                } else if (n.has("error")) {
                    throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "exec in the guest failed: "
                            + n.get("error").asText(), null);
                }
            }
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the daemon ended the exec stream without the"
                    + " command's exit code", null);
        } catch (DaemonClientException e) {
            throw e;
        } catch (IOException | InterruptedException e) {
            throw unreachable(e, "exec through " + transport.describe());
        }
    }

    /**
     * Opens a terminal in an instance ({@code POST …/instances/{i}/shell}, upgraded to {@code csemu-terminal}); the
     * caller relays the frames ({@code TerminalFrames}) and closes it. A refusal (not running, already open) is the
     * daemon's error.
     */
    public HttpTransport.Upgraded openTerminal(String pathAndQuery) throws DaemonClientException {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token);
        HttpTransport.Upgraded u;
        try {
            u = transport.upgrade(new HttpTransport.Request("POST", pathAndQuery, headers, null, null, null, timeout),
                    TerminalFrames.PROTOCOL);
        } catch (IOException | InterruptedException e) {
            throw unreachable(e, "opening a shell through " + transport.describe());
        }
        if (u.status() == 101) {
            return u;
        }
        try (u) {
            throw failure(new HttpTransport.Response(u.status(), u.headers(), u.in().readAllBytes()));
        } catch (IOException e) {
            throw unreachable(e, "opening a shell through " + transport.describe());
        }
    }

    HttpTransport.Response send(String method, String path, String contentType, byte[] bytes, Path file,
            Duration limit) throws DaemonClientException {
        HttpTransport.Response r;
        try {
            r = transport.send(new HttpTransport.Request(method, path, Map.of("Authorization", "Bearer " + token,
                    "Accept", "application/json"), contentType, bytes, file, limit));
        } catch (HttpConnectTimeoutException e) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, "the daemon at " + transport.describe()
                    + " did not accept the connection in time", e);
        } catch (HttpTimeoutException e) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, "the daemon at " + transport.describe()
                    + " did not answer " + method + " " + path + " within " + limit.toSeconds() + " s", e);
        } catch (IOException | InterruptedException e) {
            throw unreachable(e, "talking to the daemon at " + transport.describe());
        }
        if (r.status() >= 400) {
            throw failure(r);
        }
        return r;
    }

    /** A transport failure as the CLI reports it: no daemon (exit 3), interrupted (5), anything else (6). */
    private DaemonClientException unreachable(Exception e, String doing) {
        if (e instanceof ConnectException) {
            return new DaemonClientException(ExitCodes.NOT_RUNNING, "no csemu daemon answers at "
                    + transport.describe() + "; start it with `csemu daemon start`", e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new DaemonClientException(ExitCodes.TIMEOUT, "interrupted", e);
        }
        return new DaemonClientException(ExitCodes.DAEMON_ERROR, doing + " failed: " + e.getMessage(), e);
    }

    private static DaemonClientException failure(HttpTransport.Response r) {
        ErrorView error = null;
        try {
            error = JSON.readValue(r.body(), ErrorView.class);
        } catch (IOException | RuntimeException e) {
            // not our JSON: fall back to the status
        }
        String message = error != null && error.message() != null ? error.message()
                : "the daemon answered HTTP " + r.status();
        return new DaemonClientException(exitCodeFor(r.status()), r.status(), error, message, null);
    }

    /** The exit code for an HTTP error status. */
    public static int exitCodeFor(int status) {
        if (status == 401 || status == 403) {
            return ExitCodes.UNAUTHORIZED;
        }
        if (status == 408 || status == 504) {
            return ExitCodes.TIMEOUT;
        }
        if (status >= 500) {
            return ExitCodes.DAEMON_ERROR;
        }
        return ExitCodes.INVALID;
    }

    private static JsonNode json(HttpTransport.Response r) throws DaemonClientException {
        if (r.body().length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "the daemon's answer is not JSON: "
                    + e.getMessage(), e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) throws DaemonClientException {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, "unexpected answer from the daemon: "
                    + e.getMessage(), e);
        }
    }
}
