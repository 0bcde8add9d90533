package org.csemu.fabric.api.routes;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.server.ApiException;
import org.csemu.fabric.api.server.ApiRequest;
import org.csemu.fabric.api.server.ApiResponse;
import org.csemu.fabric.api.server.Router;

/**
 * Event logs: {@code GET /deployments/{id}/events} and {@code GET /events} page through the log ({@code since} is a
 * sequence number or an ISO-8601 instant); {@code GET /events/stream} follows it live as server-sent events.
 */
final class EventRoutes {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final FabricService fabric;
    private final long heartbeatMillis;

    EventRoutes(FabricService fabric, long heartbeatMillis) {
        this.fabric = fabric;
        this.heartbeatMillis = heartbeatMillis;
    }

    void register(Router router) {
        router.get(DeploymentRoutes.BASE + "/{id}/events", r -> {
            String id = r.pathParam("id");
            fabric.getDeployment(id); // 404 for an unknown deployment rather than an empty list
            return ApiResponse.ok(page(r, id));
        });
        router.get("/api/v1/events", r -> ApiResponse.ok(page(r, r.queryParam("deployment"))));
        router.get("/api/v1/events/stream", this::stream);
    }

    private List<EventView> page(ApiRequest r, String deploymentId) {
        int limit = (int) r.queryLong("limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.badRequest("'limit' must be between 1 and " + MAX_LIMIT);
        }
        String since = r.queryParam("since");
        if (since == null || since.isBlank()) {
            return fabric.events(deploymentId, 0, limit);
        }
        if (since.chars().allMatch(Character::isDigit)) {
            return fabric.events(deploymentId, Long.parseLong(since), limit);
        }
        Instant from;
        try {
            from = Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'since' must be an event sequence number or an ISO-8601 instant"
                    + " (2026-01-31T12:00:00Z), not '" + since + "'");
        }
        // the log is ordered by sequence and time alike: page until the instant is reached
        long after = 0;
        while (true) {
            List<EventView> batch = fabric.events(deploymentId, after, MAX_LIMIT);
            List<EventView> matching = batch.stream().filter(e -> !e.time().isBefore(from)).toList();
            if (!matching.isEmpty() || batch.size() < MAX_LIMIT) {
                if (matching.isEmpty()) {
                    return List.of();
                }
                long first = matching.get(0).sequence();
                return fabric.events(deploymentId, first - 1, limit);
            }
            after = batch.get(batch.size() - 1).sequence();
        }
    }

    private ApiResponse stream(ApiRequest r) {
        String deploymentId = r.queryParam("deployment");
        if (deploymentId != null) {
            fabric.getDeployment(deploymentId);
        }
        long after = -1;
        String lastEventId = r.headers().get("Last-Event-ID");
        String resumeFrom = lastEventId != null ? lastEventId : r.queryParam("since");
        if (resumeFrom != null && !resumeFrom.isBlank()) {
            try {
                after = Long.parseLong(resumeFrom.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Last-Event-ID / 'since' must be an event sequence number");
            }
        }
        EventStream stream = new EventStream(fabric, deploymentId, heartbeatMillis);
        List<EventView> backlog = stream.subscribeAndReadBacklog(after);
        return ApiResponse.stream((ctx, req) -> stream.attach(ctx, backlog));
    }
}
