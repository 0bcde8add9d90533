package org.csemu.fabric.api.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.testing.ApiFixture;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's terminal: {@code GET …/instances/{i}/shell} as a WebSocket (subprotocol {@code csemu-terminal},
 * the token as a second offered subprotocol, as a browser must send it), against an echoing terminal: the
 * handshake, frames both ways, the exit code, a clean close; and what is refused.
 */
class WebSocketTerminalTest {
    private static final String SHELL = "/api/v1/deployments/d1/instances/WebRole_IN_0/shell";
    private static final String TOKEN_PROTOCOL = BearerToken.WEBSOCKET_PROTOCOL_PREFIX
            + Base64.getUrlEncoder().withoutPadding().encodeToString(ApiFixture.TOKEN.getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;
    private ApiFixture api;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        api = new ApiFixture(tmp);
        api.fabric.addDeployment("d1", 2);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aBrowserSessionRelaysBothWaysAndEndsWithTheExitCodeAndANormalClose() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = open(SHELL + "?elevated=true&rows=30&cols=100", messages, TerminalFrames.PROTOCOL, TOKEN_PROTOCOL);
        assertThat(ws.getSubprotocol()).isEqualTo(TerminalFrames.PROTOCOL);
        assertThat(messages.outputUntil("# ")).isEqualTo("size 30x100\r\n# ");
        ws.sendBinary(TerminalFrames.frame(TerminalFrames.INPUT, ascii("echo hi\n")), true).get(10, TimeUnit.SECONDS);
        assertThat(messages.outputUntil("# ")).isEqualTo("echo hi\r\n# ");
        ws.sendBinary(TerminalFrames.resize(40, 120), true).get(10, TimeUnit.SECONDS);
        assertThat(messages.outputUntil("\r\n")).isEqualTo("size 40x120\r\n");
        ws.sendBinary(TerminalFrames.frame(TerminalFrames.INPUT, ascii("exit 7\n")), true).get(10, TimeUnit.SECONDS);
        assertThat(messages.outputUntil("bye\r\n")).isEqualTo("bye\r\n");
        ByteBuffer exit = messages.next();
        assertThat(exit.get()).isEqualTo(TerminalFrames.EXIT);
        assertThat(exit.getInt()).isEqualTo(4);
        assertThat(exit.getInt()).as("exit code").isEqualTo(7);
        assertThat(messages.closed.get(10, TimeUnit.SECONDS)).as("close status").isEqualTo(1000);
    }

    @Test
    void aBrowserThatClosesHangsTheTerminalUp() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = open(SHELL, messages, TerminalFrames.PROTOCOL, TOKEN_PROTOCOL);
        assertThat(messages.outputUntil("$ ")).isEqualTo("size 24x80\r\n$ ");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "tab closed").get(10, TimeUnit.SECONDS);
        Await.until(Duration.ofSeconds(10), () -> api.fabric.lastTerminal.closed(),
                "the relay closes the terminal after the browser closed the WebSocket");
    }

    @Test
    void aMessageThatIsNotOneTerminalFrameEndsTheSessionWithTheReason() throws Exception {
        Messages messages = new Messages();
        WebSocket ws = open(SHELL, messages, TerminalFrames.PROTOCOL, TOKEN_PROTOCOL);
        messages.outputUntil("$ ");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {'i', 0, 0, 0, 9, 'x'}), true).get(10, TimeUnit.SECONDS);
        ByteBuffer error = messages.next();
        assertThat(error.get()).isEqualTo(TerminalFrames.ERROR);
        assertThat(StandardCharsets.UTF_8.decode(error.position(5)).toString()).contains("one terminal frame");
        Await.until(Duration.ofSeconds(10), () -> api.fabric.lastTerminal.closed(), "the terminal is hung up");
    }

    @Test
    void withoutTheTokenOrTheTerminalSubprotocolOrFromAnotherOriginTheHandshakeIsRefused() {
        assertThat(refusal(SHELL, TerminalFrames.PROTOCOL)).isEqualTo(401);
        assertThat(refusal(SHELL, TerminalFrames.PROTOCOL, BearerToken.WEBSOCKET_PROTOCOL_PREFIX + "d3Jvbmc"))
                .isEqualTo(401);
        assertThat(refusal(SHELL, TOKEN_PROTOCOL)).as("no csemu-terminal offered").isEqualTo(400);
        assertThat(refusal("/api/v1/deployments/d1/instances/Nope_IN_9/shell", TerminalFrames.PROTOCOL,
                TOKEN_PROTOCOL)).isEqualTo(404);
        assertThatThrownBy(() -> client.newWebSocketBuilder().subprotocols(TerminalFrames.PROTOCOL, TOKEN_PROTOCOL)
                .header("Origin", "http://evil.example").buildAsync(wsUri(SHELL), new Messages())
                .get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                        .isEqualTo(403));
    }

    @Test
    void theTokenSubprotocolCountsOnlyOnAWebSocketUpgrade() throws Exception {
        HttpResponse<String> plain = api.http.send(java.net.http.HttpRequest.newBuilder(api.uri("/api/v1/deployments"))
                .header("Sec-WebSocket-Protocol", TOKEN_PROTOCOL).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(401);
    }

    @Test
    void theDashboardServesXtermFromItsWebjarAndNothingElseUnderVendor() throws Exception {
        HttpResponse<String> js = api.http.send(java.net.http.HttpRequest.newBuilder(
                api.uri("/vendor/xterm/lib/xterm.js")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
        assertThat(js.body()).contains("Terminal");
        HttpResponse<String> css = api.http.send(java.net.http.HttpRequest.newBuilder(
                api.uri("/vendor/xterm/css/xterm.css")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(css.statusCode()).isEqualTo(200);
        for (String other : new String[] {"/vendor/jackson/pom.xml", "/vendor/xterm", "/vendor/xterm/../../x"}) {
            HttpResponse<String> r = api.http.send(java.net.http.HttpRequest.newBuilder(api.uri(other)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(other).isEqualTo(404);
        }
    }

    private WebSocket open(String path, Messages messages, String... protocols) throws Exception {
        return client.newWebSocketBuilder().subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1,
                protocols.length)).buildAsync(wsUri(path), messages).get(20, TimeUnit.SECONDS);
    }

    private int refusal(String path, String... protocols) {
        try {
            open(path, new Messages(), protocols).abort();
            return 101;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private URI wsUri(String path) {
        return URI.create("ws://127.0.0.1:" + api.port() + path);
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Whole binary messages in arrival order, and the close status. */
    private static final class Messages implements WebSocket.Listener {
        final BlockingQueue<ByteBuffer> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            partial.writeBytes(b);
            if (last) {
                received.add(ByteBuffer.wrap(partial.toByteArray()));
                partial.reset();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        ByteBuffer next() throws InterruptedException {
            ByteBuffer b = received.poll(20, TimeUnit.SECONDS);
            assertThat(b).as("a message within 20 s").isNotNull();
            return b;
        }

        /** Output frames' text until it ends with {@code suffix}. */
        String outputUntil(String suffix) throws InterruptedException {
            StringBuilder text = new StringBuilder();
            while (!text.toString().endsWith(suffix)) {
                ByteBuffer b = next();
                assertThat(b.get()).as("frame type after '%s'", text).isEqualTo(TerminalFrames.OUTPUT);
                assertThat(b.getInt()).isEqualTo(b.remaining());
                text.append(StandardCharsets.UTF_8.decode(b));
            }
            return text.toString();
        }
    }
}
