package org.csemu.fabric.readiness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An HTTP endpoint answers: a GET gets any status below 500 (the VIP has an instance behind it that serves). No
 * answer, a refused connection or a 5xx is not yet; the detail is the endpoint's name and URL.
 */
public final class EndpointAnswers implements Ready {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String name;
    private final URI url;

    public EndpointAnswers(HttpClient http, String name, URI url) {
        this.http = http;
        this.name = name;
        this.url = url;
    }

    /** A client for these probes: HTTP/1.1, no redirects followed, a short connect timeout. */
    public static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Status check() throws InterruptedException {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(REQUEST_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() < 500 ? Status.ready() : Status.notYet(name + " " + url);
        } catch (IOException e) {
            return Status.notYet(name + " " + url);
        }
    }
}
