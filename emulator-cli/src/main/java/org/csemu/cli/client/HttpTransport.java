package org.csemu.cli.client;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Sends one HTTP request to the daemon, over TCP or a unix socket. */
public interface HttpTransport {

    /**
     * A request: the body is {@code bytes} or the file at {@code file} (or neither).
     *
     * @param method GET, POST, ...
     * @param path path and query, starting with {@code /}
     * @param headers extra headers (the token is among them)
     * @param contentType media type of the body, or {@code null}
     * @param bytes in-memory body, or {@code null}
     * @param file body streamed from a file, or {@code null}
     * @param timeout how long the whole exchange may take
     */
    record Request(String method, String path, Map<String, String> headers, String contentType, byte[] bytes,
            Path file, Duration timeout) {
    }

    /** The answer; header names are lower case. */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** An answer whose body is read as it arrives (an event stream); close it to hang up. */
    record StreamedResponse(int status, Map<String, String> headers, java.io.InputStream body)
            implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /**
     * Sends the request and returns once the answer's head has arrived (within the request's timeout); the body
     * then streams without a time limit.
     */
    StreamedResponse open(Request request) throws IOException, InterruptedException;

    /**
     * The answer to an upgrade request: on {@code 101} the connection's raw streams (the HTTP exchange is over), on
     * any other status the answer's body; close it to hang up.
     */
    record Upgraded(int status, Map<String, String> headers, java.io.InputStream in, java.io.OutputStream out,
            java.io.Closeable connection) implements java.io.Closeable {
        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /**
     * Sends a bodyless request asking to switch to {@code protocol} ({@code Connection: Upgrade}) and returns once
     * the head of the answer arrived, within the request's timeout; the upgraded connection has none.
     */
    Upgraded upgrade(Request request, String protocol) throws IOException, InterruptedException;

    /**
     * Sends the request. Throws {@link java.net.ConnectException} when nothing listens,
     * {@link java.net.http.HttpTimeoutException} when the timeout passes.
     */
    Response send(Request request) throws IOException, InterruptedException;

    /** Where it connects, for messages. */
    String describe();
}
