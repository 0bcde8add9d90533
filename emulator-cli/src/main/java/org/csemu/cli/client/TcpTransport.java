package org.csemu.cli.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 to {@code 127.0.0.1:<port>} with the JDK client. */
public final class TcpTransport implements HttpTransport {

    private final int port;
    private final HttpClient client;

    public TcpTransport(int port) {
        this.port = port;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Response send(Request request) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(build(request), HttpResponse.BodyHandlers.ofByteArray());
        return new Response(r.statusCode(), headers(r), r.body());
    }

    @Override
    public StreamedResponse open(Request request) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> r = client.send(build(request), HttpResponse.BodyHandlers.ofInputStream());
        return new StreamedResponse(r.statusCode(), headers(r), r.body());
    }

    private static Map<String, String> headers(HttpResponse<?> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : r.headers().map().entrySet()) {
            if (!h.getValue().isEmpty()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue().get(0));
            }
        }
        return headers;
    }

    private HttpRequest build(Request request) throws IOException {
        HttpRequest.BodyPublisher body;
        if (request.file() != null) {
            try {
                body = HttpRequest.BodyPublishers.ofFile(request.file());
            } catch (FileNotFoundException e) {
                throw new IOException("cannot read " + request.file() + ": " + e.getMessage(), e);
            }
        } else if (request.bytes() != null) {
            body = HttpRequest.BodyPublishers.ofByteArray(request.bytes());
        } else {
            body = HttpRequest.BodyPublishers.noBody();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
                .timeout(request.timeout())
                .method(request.method(), body);
        if (request.contentType() != null) {
            b.header("Content-Type", request.contentType());
        }
        if (request.file() != null) {
            b.expectContinue(true); // a refusal (401, 413, ...) arrives before the upload is sent
        }
        request.headers().forEach(b::header);
        return b.build();
    }

    @Override
    public String describe() {
        return "http://127.0.0.1:" + port;
    }
}
