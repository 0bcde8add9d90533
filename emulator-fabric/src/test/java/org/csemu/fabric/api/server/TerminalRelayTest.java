package org.csemu.fabric.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.csemu.fabric.api.TerminalFrames;
import org.csemu.fabric.api.testing.ApiFixture;
import org.csemu.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST …/instances/{i}/shell} upgraded to the terminal framing, against an echoing terminal: the 101, output
 * and input both ways, a resize, the exit code as the last frame, and a client hang-up reaching the terminal.
 */
class TerminalRelayTest {
    private static final String SHELL = "/api/v1/deployments/d1/instances/WebRole_IN_0/shell";

    @TempDir
    Path tmp;
    private ApiFixture api;

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
    void aShellSessionRelaysBothWaysAndEndsWithTheExitCode() throws Exception {
        try (Socket s = upgraded(SHELL + "?elevated=true&rows=30&cols=100")) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            assertThat(outputUntil(in, "# ")).isEqualTo("size 30x100\r\n# ");
            OutputStream out = s.getOutputStream();
            out.write(bytes(TerminalFrames.frame(TerminalFrames.INPUT, ascii("echo hi\n"))));
            assertThat(outputUntil(in, "# ")).isEqualTo("echo hi\r\n# ");
            out.write(bytes(TerminalFrames.resize(40, 120)));
            assertThat(outputUntil(in, "\r\n")).isEqualTo("size 40x120\r\n");
            out.write(bytes(TerminalFrames.frame(TerminalFrames.INPUT, ascii("exit 7\n"))));
            assertThat(outputUntil(in, "bye\r\n")).isEqualTo("bye\r\n");
            assertThat(in.readByte()).isEqualTo(TerminalFrames.EXIT);
            assertThat(in.readInt()).as("payload length").isEqualTo(4);
            assertThat(in.readInt()).as("exit code").isEqualTo(7);
            assertThat(in.read()).as("the daemon closes after the exit code").isEqualTo(-1);
        }
    }

    @Test
    void aClientThatGoesAwayHangsTheTerminalUp() throws Exception {
        try (Socket s = upgraded(SHELL)) {
            assertThat(outputUntil(new DataInputStream(s.getInputStream()), "$ ")).isEqualTo("size 24x80\r\n$ ");
        }
        Await.until(Duration.ofSeconds(10), () -> api.fabric.lastTerminal.closed(),
                "the relay closes the terminal after the client hung up");
    }

    @Test
    void withoutTheUpgradeHeaderOrForAnUnknownInstanceTheAnswerIsAnOrdinaryError() throws Exception {
        HttpResponse<String> plain = api.http.send(api.request(SHELL)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("Upgrade: csemu-terminal");
        try (Socket s = open("/api/v1/deployments/d1/instances/Nope_IN_9/shell")) {
            String head = head(s.getInputStream());
            assertThat(head).startsWith("HTTP/1.1 404");
        }
        try (Socket s = open(SHELL + "?rows=0")) {
            assertThat(head(s.getInputStream())).startsWith("HTTP/1.1 400");
        }
    }

    private Socket upgraded(String path) throws IOException {
        Socket s = open(path);
        String head = head(s.getInputStream());
        assertThat(head).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: csemu-terminal");
        return s;
    }

    private Socket open(String path) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), api.port());
        s.setSoTimeout(20_000);
        String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + api.port() + "\r\nAuthorization: Bearer "
                + ApiFixture.TOKEN + "\r\nConnection: Upgrade\r\nUpgrade: csemu-terminal\r\nContent-Length: 0\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    /** The answer's head, read byte by byte so nothing after it is consumed. */
    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("closed in the head: " + b);
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    /** Output frames' text until it ends with {@code suffix}. */
    private static String outputUntil(DataInputStream in, String suffix) throws IOException {
        StringBuilder text = new StringBuilder();
        while (!text.toString().endsWith(suffix)) {
            byte type = in.readByte();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            assertThat(type).as("frame type after '%s'", text).isEqualTo(TerminalFrames.OUTPUT);
            text.append(new String(payload, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
