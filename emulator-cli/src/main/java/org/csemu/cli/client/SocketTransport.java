package org.csemu.cli.client;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 to the daemon over a unix socket or loopback TCP, on a plain {@link SocketChannel}: one request per
 * connection ({@code Connection: close}), body by {@code Content-Length} (an upload waits for {@code 100 Continue},
 * so a refusal arrives before the package is sent), answer by length, chunks or end of stream. The JDK's
 * {@code HttpClient} speaks TCP only and costs a short command more than the request itself (its selector thread,
 * the TLS context it builds even for plain HTTP), so both transports are this one. Reading the answer is
 * {@link HttpAnswers}'s; an upgraded connection's streams are {@link ChannelStreams}'.
 */
public final class SocketTransport implements HttpTransport {

    private final SocketAddress address;
    private final Path socket;
    private final String host;
    private final String description;

    private SocketTransport(SocketAddress address, Path socket, String host, String description) {
        this.address = address;
        this.socket = socket;
        this.host = host;
        this.description = description;
    }

    /** The daemon's unix socket at {@code socket}. */
    public static SocketTransport unix(Path socket) {
        return new SocketTransport(UnixDomainSocketAddress.of(socket), socket, "localhost", "unix:" + socket);
    }

    /** The daemon on {@code 127.0.0.1:<port>}. */
    public static SocketTransport tcp(int port) {
        return new SocketTransport(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null,
                "127.0.0.1:" + port, "http://127.0.0.1:" + port);
    }

    @Override
    public Response send(Request request) throws IOException {
        StreamedResponse r = exchange(request, true);
        try (InputStream body = r.body()) {
            return new Response(r.status(), r.headers(), body.readAllBytes());
        }
    }

    @Override
    public StreamedResponse open(Request request) throws IOException {
        return exchange(request, false);
    }

    @Override
    public Upgraded upgrade(Request request, String protocol) throws IOException {
        Armed c = arm(request);
        try {
            c.ch.connect(address);
            StringBuilder head = new StringBuilder()
                    .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(host).append("\r\nConnection: Upgrade\r\nUpgrade: ").append(protocol)
                    .append("\r\nContent-Length: 0\r\n");
            request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            ChannelStreams.writeFully(c.ch, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
            // unbuffered: after a 101 every byte that follows the head belongs to the new protocol (ChannelStreams)
            InputStream in = new ChannelStreams.ChannelReader(c.ch);
            StreamedResponse answer = HttpAnswers.readHead(in);
            c.disarm();
            if (answer.status() == 101) {
                return new Upgraded(101, answer.headers(), in, new ChannelStreams.ChannelWriter(c.ch), c.ch);
            }
            return new Upgraded(answer.status(), answer.headers(), HttpAnswers.bodyOf(in, answer.headers()),
                    java.io.OutputStream.nullOutputStream(), c.ch);
        } catch (IOException | RuntimeException e) {
            throw c.failed(e, request);
        }
    }

    /** A channel, not yet connected, whose request deadline is armed: when it passes, the channel is closed. */
    private final class Armed {
        final SocketChannel ch;
        final AtomicBoolean timedOut = new AtomicBoolean();
        private final ScheduledFuture<?> deadline;

        Armed(SocketChannel ch, Duration timeout) {
            this.ch = ch;
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "csemu-request-timeout");
                t.setDaemon(true);
                return t;
            });
            this.deadline = timer.schedule(() -> {
                timedOut.set(true);
                closeQuietly(ch);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            timer.shutdown(); // the scheduled deadline still fires; no new tasks
        }

        void disarm() {
            deadline.cancel(false);
        }

        /**
         * Ends a failed exchange: the channel closed; the failure to throw, a timeout when the deadline caused it.
         * {@code e} is an {@link IOException} or a {@link RuntimeException} (rethrown as it is).
         */
        IOException failed(Exception e, Request request) {
            disarm();
            closeQuietly(ch);
            if (timedOut.get()) {
                return new HttpTimeoutException("no answer from " + describe() + " within " + request.timeout());
            }
            if (e instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            return (IOException) e;
        }
    }

    private Armed arm(Request request) throws IOException {
        if (socket != null && !Files.exists(socket)) {
            throw new ConnectException("no socket at " + socket);
        }
        SocketChannel ch = socket != null ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        return new Armed(ch, request.timeout());
    }

    /** Connects, sends, reads the head; with {@code timeBody} the deadline also covers reading the body. */
    private StreamedResponse exchange(Request request, boolean timeBody) throws IOException {
        Armed c = arm(request);
        SocketChannel ch = c.ch;
        try {
            ch.connect(address);
            InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
            StreamedResponse head = writeRequest(ch, in, request);
            InputStream body = HttpAnswers.bodyOf(in, head.headers());
            if (timeBody) {
                body = new java.io.ByteArrayInputStream(readFully(body, c.timedOut, request));
                c.disarm();
                closeQuietly(ch);
            } else {
                c.disarm();
            }
            InputStream stream = body;
            return new StreamedResponse(head.status(), head.headers(), new FilterInputStream(stream) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        closeQuietly(ch);
                    }
                }
            });
        } catch (IOException | RuntimeException e) {
            throw c.failed(e, request);
        }
    }

    private byte[] readFully(InputStream body, AtomicBoolean timedOut, Request request) throws IOException {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            if (timedOut.get()) {
                throw new HttpTimeoutException("no answer from " + describe() + " within " + request.timeout());
            }
            throw e;
        }
    }

    /** Sends the request and returns the answer's head (an upload's body goes only after {@code 100 Continue}). */
    private StreamedResponse writeRequest(SocketChannel ch, InputStream in, Request request)
            throws IOException {
        long length = request.file() != null ? Files.size(request.file())
                : request.bytes() != null ? request.bytes().length : 0;
        StringBuilder head = new StringBuilder()
                .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append("\r\nConnection: close\r\n")
                .append("Content-Length: ").append(length).append("\r\n");
        if (request.contentType() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        if (request.file() != null) {
            head.append("Expect: 100-continue\r\n");
        }
        request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        ChannelStreams.writeFully(ch, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
        if (request.file() != null) {
            StreamedResponse interim = HttpAnswers.readStatus(in);
            if (interim.status() != 100) {
                return interim; // refused before the upload
            }
            try (FileChannel f = FileChannel.open(request.file(), StandardOpenOption.READ)) {
                long pos = 0;
                while (pos < length) {
                    pos += f.transferTo(pos, length - pos, ch);
                }
            }
        } else if (request.bytes() != null) {
            ChannelStreams.writeFully(ch, ByteBuffer.wrap(request.bytes()));
        }
        return HttpAnswers.readHead(in);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }

    @Override
    public String describe() {
        return description;
    }
}
