package org.csemu.fabric.api.routes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FaultKind;
import org.csemu.fabric.api.InstanceAction;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.TerminalSession;
import org.csemu.fabric.api.server.ApiException;
import org.csemu.fabric.api.server.ApiRequest;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.BodyPolicy;
import org.csemu.fabric.api.server.Router;

/** Role instances (read, reboot/reimage/rebuild/stop/start, console, faults) and role scaling. */
final class InstanceRoutes {

    private static final String INSTANCE = DeploymentRoutes.BASE + "/{id}/instances/{instance}";
    private static final int MAX_CONSOLE_TAIL = 100_000;

    /** {@code {"count": N}}. */
    record ScaleBody(@JsonProperty("count") Integer count) {
    }

    /** {@code {"kind": "host-failure"}}. */
    record FaultBody(@JsonProperty("kind") String kind) {
    }

    private final FabricService fabric;

    InstanceRoutes(FabricService fabric) {
        this.fabric = fabric;
    }

    void register(Router router) {
        router.get(INSTANCE, r -> ApiResponse.ok(fabric.getInstance(r.pathParam("id"), r.pathParam("instance"))));
        for (InstanceAction action : InstanceAction.values()) {
            router.add(HttpMethod.POST, INSTANCE + "/" + action.wireName(), BodyPolicy.NONE,
                    r -> Accepted.of(fabric.instanceAction(r.pathParam("id"), r.pathParam("instance"), action)));
        }
        router.get(INSTANCE + "/console", this::console);
        router.add(HttpMethod.POST, INSTANCE + "/faults", BodyPolicy.JSON, this::fault);
        router.add(HttpMethod.POST, INSTANCE + "/exec", BodyPolicy.JSON, this::exec);
        router.add(HttpMethod.POST, INSTANCE + "/shell", BodyPolicy.NONE, this::shell);
        router.add(HttpMethod.GET, INSTANCE + "/shell", BodyPolicy.NONE, this::shellWebSocket);
        router.add(HttpMethod.POST, DeploymentRoutes.BASE + "/{id}/roles/{role}/scale", BodyPolicy.JSON, this::scale);
    }

    private ApiResponse console(ApiRequest r) {
        long tail = r.queryLong("tail", 0);
        if (tail < 0 || tail > MAX_CONSOLE_TAIL) {
            throw ApiException.badRequest("'tail' must be between 0 (everything) and " + MAX_CONSOLE_TAIL);
        }
        return ApiResponse.text(200, fabric.console(r.pathParam("id"), r.pathParam("instance"), (int) tail));
    }

    /**
     * {@code {"command": "...", "elevated": false, "stdin64": "..."}} → the command's output and exit code as NDJSON
     * ({@link ExecStream}).
     */
    private ApiResponse exec(ApiRequest r) {
        ExecBody b = r.json(ExecBody.class);
        if (b.command() == null || b.command().isBlank()) {
            throw ApiException.badRequest("'command' is required (a shell command line, run with sh -c)");
        }
        byte[] stdin = execStdin(b.stdin64());
        ExecStream stream = new ExecStream();
        fabric.exec(r.pathParam("id"), r.pathParam("instance"), b.command(), Boolean.TRUE.equals(b.elevated()),
                stdin, stream::output).whenComplete(stream::ended);
        return ApiResponse.stream((ctx, req) -> stream.attach(ctx));
    }

    /**
     * {@code Upgrade: csemu-terminal}, {@code ?elevated=&rows=&cols=} → 101, then the terminal's frames both ways
     * ({@link TerminalRelay}). Opened here, on a worker, so a refusal is an ordinary error answer.
     */
    private ApiResponse shell(ApiRequest r) {
        String upgrade = r.headers().get("Upgrade");
        if (upgrade == null || !upgrade.trim().equalsIgnoreCase(TerminalFrames.PROTOCOL)) {
            throw ApiException.badRequest("this endpoint upgrades the connection to a terminal: send 'Connection:"
                    + " Upgrade' and 'Upgrade: " + TerminalFrames.PROTOCOL + "' (csemu shell does)");
        }
        String instance = r.pathParam("instance");
        TerminalSession session = openTerminal(r);
        return ApiResponse.stream((ctx, req) -> TerminalRelay.attach(ctx, session, instance));
    }

    /**
     * The same terminal for a browser (the dashboard): a WebSocket with the subprotocol {@code csemu-terminal}, one
     * terminal frame per binary message ({@link WebSocketTerminal}).
     */
    private ApiResponse shellWebSocket(ApiRequest r) {
        String upgrade = r.headers().get("Upgrade");
        String protocols = r.headers().get("Sec-WebSocket-Protocol");
        if (upgrade == null || !upgrade.trim().equalsIgnoreCase("websocket") || protocols == null
                || java.util.Arrays.stream(protocols.split(",")).map(String::trim)
                        .noneMatch(TerminalFrames.PROTOCOL::equals)) {
            throw ApiException.badRequest("GET on this endpoint opens the terminal as a WebSocket with the"
                    + " subprotocol '" + TerminalFrames.PROTOCOL + "' (the dashboard does); csemu shell uses POST"
                    + " with 'Upgrade: " + TerminalFrames.PROTOCOL + "'");
        }
        String instance = r.pathParam("instance");
        TerminalSession session = openTerminal(r);
        return ApiResponse.stream((ctx, req) -> WebSocketTerminal.attach(ctx, req, session, instance));
    }

    private TerminalSession openTerminal(ApiRequest r) {
        int rows = terminalSize(r, "rows", 24);
        int cols = terminalSize(r, "cols", 80);
        boolean elevated = Boolean.parseBoolean(r.queryParam("elevated"));
        return fabric.openTerminal(r.pathParam("id"), r.pathParam("instance"), elevated, rows, cols);
    }

    private static int terminalSize(ApiRequest r, String name, int defaultValue) {
        long v = r.queryLong(name, defaultValue);
        if (v < 1 || v > 0xFFFF) {
            throw ApiException.badRequest("'" + name + "' must be between 1 and 65535");
        }
        return (int) v;
    }

    /** The command's whole stdin, base64; bounded because it travels in one agent message (docs/api.md). */
    private static byte[] execStdin(String stdin64) {
        if (stdin64 == null || stdin64.isEmpty()) {
            return new byte[0];
        }
        byte[] stdin;
        try {
            stdin = java.util.Base64.getDecoder().decode(stdin64);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("'stdin64' is not base64: " + e.getMessage());
        }
        if (stdin.length > FabricService.MAX_EXEC_STDIN_BYTES) {
            throw ApiException.badRequest("'stdin64' holds " + stdin.length + " bytes; exec takes at most "
                    + FabricService.MAX_EXEC_STDIN_BYTES + " (for more, use csemu shell, or put the file in the package)");
        }
        return stdin;
    }

    record ExecBody(@JsonProperty("command") String command, @JsonProperty("elevated") Boolean elevated,
            @JsonProperty("stdin64") String stdin64) {
    }

    private ApiResponse fault(ApiRequest r) {
        FaultBody b = r.json(FaultBody.class);
        if (b.kind() == null) {
            throw ApiException.badRequest("'kind' is required");
        }
        FaultKind kind;
        try {
            kind = FaultKind.fromWireName(b.kind());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return Accepted.of(fabric.injectFault(r.pathParam("id"), r.pathParam("instance"), kind));
    }

    private ApiResponse scale(ApiRequest r) {
        ScaleBody b = r.json(ScaleBody.class);
        if (b.count() == null || b.count() < 0) {
            throw ApiException.badRequest("'count' must be a non-negative integer");
        }
        return Accepted.of(fabric.scaleRole(r.pathParam("id"), r.pathParam("role"), b.count()));
    }
}
