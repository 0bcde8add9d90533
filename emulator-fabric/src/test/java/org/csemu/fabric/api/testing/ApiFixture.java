package org.csemu.fabric.api.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.csemu.fabric.api.routes.ApiRoutes;
import org.csemu.fabric.api.server.ApiBinding;
import org.csemu.fabric.api.server.ApiServer;
import org.csemu.fabric.api.server.ApiServerConfig;

/** A real API server on an ephemeral loopback port over an {@link InMemoryFabric}, and a client for it. */
public final class ApiFixture implements AutoCloseable {

    public static final String TOKEN = "test-token-0123456789abcdef";

    public final InMemoryFabric fabric = new InMemoryFabric();
    public final ApiServer server;
    public final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    public final Path uploads;

    public ApiFixture(Path tempDir, long jsonLimit, long uploadLimit, long sseHeartbeatMillis)
            throws IOException, InterruptedException {
        this.uploads = tempDir.resolve("uploads");
        ApiServerConfig config = ApiServerConfig.defaults(new ApiBinding.Loopback(0), TOKEN, uploads,
                        () -> Map.of("version", "test"))
                .withLimits(jsonLimit, uploadLimit)
                .withSseHeartbeatMillis(sseHeartbeatMillis);
        this.server = ApiServer.start(config, ApiRoutes.build(fabric, config));
    }

    public ApiFixture(Path tempDir) throws IOException, InterruptedException {
        this(tempDir, ApiServerConfig.DEFAULT_MAX_JSON_BYTES, ApiServerConfig.DEFAULT_MAX_UPLOAD_BYTES, 15_000);
    }

    public int port() {
        return server.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The raw-socket head of a request, with the right Host and token unless overridden by {@code extra}. */
    public String head(String method, String path, String extraHeaders) {
        return method + " " + path + " HTTP/1.1\r\n"
                + (extraHeaders.toLowerCase().contains("host:") ? "" : "Host: 127.0.0.1:" + port() + "\r\n")
                + (extraHeaders.toLowerCase().contains("authorization:") ? "" : "Authorization: Bearer " + TOKEN + "\r\n")
                + "Connection: close\r\n" + extraHeaders + "\r\n";
    }

    @Override
    public void close() {
        server.close();
    }
}
