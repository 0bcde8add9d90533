package org.csemu.fabric.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.csemu.fabric.api.server.Json;
import org.csemu.fabric.api.testing.ApiFixture;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Server-sent events: live delivery, resume after Last-Event-ID, deployment filter, keep-alive, unsubscribe. */
class EventStreamTest {

    @TempDir
    Path tmp;
    private ApiFixture api;
    private final List<Stream<String>> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(tmp, 1 << 20, 1 << 20, 200);
        api.fabric.addDeployment("d1", 2);
        api.fabric.addDeployment("d2", 1);
    }

    @AfterEach
    void stop() {
        open.forEach(Stream::close);
        api.close();
    }

    /** Opens a stream and pumps its lines into a queue on a helper thread. */
    private BlockingQueue<String> subscribe(String path, String lastEventId) throws Exception {
        var builder = api.request(path).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = api.http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        open.add(r.body());
        Thread pump = new Thread(() -> {
            try {
                r.body().forEach(lines::add);
            } catch (RuntimeException e) {
                // closed by the test
            }
        }, "sse-pump");
        pump.setDaemon(true);
        pump.start();
        return lines;
    }

    /** The next event (id, type, data) from the stream, skipping comments and retry hints. */
    private static JsonNode nextEvent(BlockingQueue<String> lines, List<String> comments) throws Exception {
        String id = null;
        String type = null;
        while (true) {
            String line = lines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("an event line within 10 s").isNotNull();
            if (line.startsWith(":")) {
                comments.add(line);
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                type = line.substring(7);
            } else if (line.startsWith("data: ")) {
                JsonNode data = Json.MAPPER.readTree(line.substring(6));
                assertThat(data.get("sequence").asText()).isEqualTo(id);
                assertThat(data.get("type").asText()).isEqualTo(type);
                return data;
            }
        }
    }

    @Test
    void aSubscriberReceivesEventsPublishedByTheFabric() throws Exception {
        BlockingQueue<String> lines = subscribe("/api/v1/events/stream", null);
        Await.until(Duration.ofSeconds(10), () -> api.fabric.subscriberCount() == 1, "the stream to subscribe");
        api.fabric.publish("d1", "WebRole_IN_0", "StateChanged", "StartingRole", "ReadyRole");
        api.fabric.publish("d2", "WebRole_IN_0", "StateChanged", "ReadyRole", "StoppingRole");
        List<String> comments = new ArrayList<>();
        JsonNode first = nextEvent(lines, comments);
        assertThat(first.get("deploymentId").asText()).isEqualTo("d1");
        assertThat(first.get("to").asText()).isEqualTo("ReadyRole");
        JsonNode second = nextEvent(lines, comments);
        assertThat(second.get("deploymentId").asText()).isEqualTo("d2");
        assertThat(second.get("sequence").asLong()).isGreaterThan(first.get("sequence").asLong());
        // keep-alive comments flow while nothing happens
        Await.until(Duration.ofSeconds(10), () -> lines.contains(": keepalive") || !comments.isEmpty(), "a keep-alive comment");

        open.forEach(Stream::close);
        Await.until(Duration.ofSeconds(10), () -> api.fabric.subscriberCount() == 0, "the subscription to end");
    }

    @Test
    void aReconnectingClientGetsWhatItMissedThenLiveEventsInOrder() throws Exception {
        api.fabric.publish("d1", "WebRole_IN_0", "StateChanged", "CreatingVM", "StartingVM");
        api.fabric.publish("d2", "WebRole_IN_0", "StateChanged", "CreatingVM", "StartingVM");
        api.fabric.publish("d1", "WebRole_IN_1", "StateChanged", "StartingVM", "StartingRole");
        BlockingQueue<String> lines = subscribe("/api/v1/events/stream?deployment=d1", "1");
        Await.until(Duration.ofSeconds(10), () -> api.fabric.subscriberCount() == 1, "the stream to subscribe");
        api.fabric.publish("d2", "WebRole_IN_0", "StateChanged", "StartingVM", "ReadyRole");
        api.fabric.publish("d1", "WebRole_IN_1", "StateChanged", "StartingRole", "ReadyRole");
        List<String> comments = new ArrayList<>();
        JsonNode missed = nextEvent(lines, comments);
        assertThat(missed.get("sequence").asLong()).isEqualTo(3);
        JsonNode live = nextEvent(lines, comments);
        assertThat(live.get("sequence").asLong()).isEqualTo(5);
        assertThat(live.get("deploymentId").asText()).isEqualTo("d1");
    }

    @Test
    void theEventLogPagesBySequenceOrTime() throws Exception {
        api.fabric.publish("d1", "WebRole_IN_0", "StateChanged", "CreatingVM", "StartingVM");
        api.fabric.publish("d2", "WebRole_IN_0", "StateChanged", "CreatingVM", "StartingVM");
        api.fabric.publish("d1", "WebRole_IN_1", "StateChanged", "StartingVM", "StartingRole");
        JsonNode all = Json.MAPPER.readTree(api.get("/api/v1/deployments/d1/events").body());
        assertThat(all).hasSize(2);
        JsonNode after = Json.MAPPER.readTree(api.get("/api/v1/deployments/d1/events?since=1").body());
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("sequence").asLong()).isEqualTo(3);
        JsonNode byTime = Json.MAPPER.readTree(api.get("/api/v1/events?since=2000-01-01T00:00:00Z&limit=2").body());
        assertThat(byTime).hasSize(2);
        assertThat(api.get("/api/v1/events?since=yesterday").statusCode()).isEqualTo(400);
        assertThat(api.get("/api/v1/deployments/nope/events").statusCode()).isEqualTo(404);
    }
}
