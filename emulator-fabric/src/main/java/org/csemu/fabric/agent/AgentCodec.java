package org.csemu.fabric.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Parses guest lines into {@link AgentMessage}s and renders host messages as single JSON lines. */
public final class AgentCodec {

    public static final int PROTOCOL_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AgentCodec() {
    }

    /** Parses one line; throws {@link IllegalArgumentException} for a line that is not a protocol message. */
    public static AgentMessage parse(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String type = node.path("type").asText(null);
        if (type == null || !node.hasNonNull("boot") || !node.hasNonNull("seq")) {
            throw new IllegalArgumentException("missing type, boot or seq");
        }
        AgentMessage.Header h = new AgentMessage.Header(node.path("v").asInt(PROTOCOL_VERSION), type,
                node.get("boot").asText(), node.get("seq").asLong());
        return switch (type) {
            case "hello" -> new AgentMessage.Hello(h, text(node, "agent"), text(node, "instance"),
                    node.path("firstBoot").asBoolean(false));
            case "setup" -> new AgentMessage.Setup(h, text(node, "phase"), node.path("restart").asBoolean(false));
            case "task" -> new AgentMessage.Task(h, node.path("index").asInt(-1), text(node, "command"),
                    text(node, "taskType"), text(node, "state"), integer(node, "exitCode"), text(node, "outputTail"));
            case "service" -> new AgentMessage.Service(h, text(node, "name"), text(node, "state"),
                    node.hasNonNull("pid") && node.get("pid").canConvertToLong() ? node.get("pid").asLong() : null,
                    integer(node, "exitCode"));
            case "status" -> new AgentMessage.Status(h, text(node, "status"), text(node, "reason"));
            case "heartbeat" -> new AgentMessage.Heartbeat(h, text(node, "status"));
            case "log" -> new AgentMessage.Log(h, text(node, "level"), text(node, "message"));
            case "ack" -> new AgentMessage.Ack(h, text(node, "id"), node.path("cancel").asBoolean(false));
            case "exec" -> new AgentMessage.Exec(h, text(node, "id"), text(node, "output"), integer(node, "exitCode"));
            default -> new AgentMessage.Unknown(h, line);
        };
    }

    /** {@code stopping}: the agent stops services, syncs and powers off or reboots ({@code then}). */
    public static String stopping(String id, String then) {
        ObjectNode node = header("stopping", id);
        node.put("then", then);
        return render(node);
    }

    /**
     * {@code exec}: run {@code command} with {@code sh -c} in the guest, as the role's user unless {@code elevated}.
     * The command travels base64-encoded, so the agent's shell never has to unescape JSON; so does {@code stdin},
     * the command's whole standard input ({@code stdin64}, left out when empty: the command reads /dev/null).
     */
    public static String exec(String id, String command, boolean elevated, byte[] stdin) {
        ObjectNode node = header("exec", id);
        node.put("command64", java.util.Base64.getEncoder().encodeToString(command.getBytes(StandardCharsets.UTF_8)));
        node.put("elevated", elevated);
        if (stdin.length > 0) {
            node.put("stdin64", java.util.Base64.getEncoder().encodeToString(stdin));
        }
        return render(node);
    }

    /**
     * {@code shell}: start an interactive login shell on the guest's virtio console (hvc0), {@code rows} x {@code cols},
     * as the role's user unless {@code elevated}; its end is reported like an exec's ({@code exec} with
     * {@code exitCode}, same id).
     */
    public static String shell(String id, boolean elevated, int rows, int cols) {
        ObjectNode node = header("shell", id);
        node.put("elevated", elevated);
        node.put("rows", rows);
        node.put("cols", cols);
        return render(node);
    }

    /** {@code shell-resize}: the terminal's new size (the guest's foreground job gets SIGWINCH). */
    public static String shellResize(String id, int rows, int cols) {
        ObjectNode node = header("shell-resize", id);
        node.put("rows", rows);
        node.put("cols", cols);
        return render(node);
    }

    /** {@code shell-close}: hang the terminal up (SIGHUP to its session, SIGKILL after 2 s), as closing it does. */
    public static String shellClose(String id) {
        return render(header("shell-close", id));
    }

    /** {@code changing}/{@code changed}: configuration changes, each a {@code {kind, name}} pair. */
    public static String changes(String type, String id, List<Map<String, String>> changes) {
        if (!type.equals("changing") && !type.equals("changed")) {
            throw new IllegalArgumentException("not a change message type: " + type);
        }
        ObjectNode node = header(type, id);
        ArrayNode list = node.putArray("changes");
        for (Map<String, String> change : changes) {
            ObjectNode c = list.addObject();
            // kind and name first, then any other field in name order: stable lines for logs and tests
            for (String key : List.of("kind", "name")) {
                if (change.containsKey(key)) {
                    c.put(key, change.get(key));
                }
            }
            new java.util.TreeMap<>(change).forEach((k, v) -> {
                if (!k.equals("kind") && !k.equals("name")) {
                    c.put(k, v);
                }
            });
        }
        return render(node);
    }

    /** {@code topology}: the deployment's roles and their instances' endpoints as an arbitrary JSON tree. */
    public static String topology(String id, JsonNode roles) {
        ObjectNode node = header("topology", id);
        node.set("roles", roles);
        return render(node);
    }

    private static ObjectNode header(String type, String id) {
        ObjectNode node = JSON.createObjectNode();
        node.put("v", PROTOCOL_VERSION);
        node.put("type", type);
        node.put("id", id);
        return node;
    }

    private static String render(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.asInt();
        }
        try {
            return Integer.parseInt(value.asText().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
