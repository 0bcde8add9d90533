package org.csemu.cli.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 over a unix socket (the JDK client speaks TCP only): one request per connection
 * ({@code Connection: close}), body by {@code Content-Length}, answer by length, chunks or end of stream.
 */
public final class UnixSocketTransport implements HttpTransport {

    private static final int MAX_HEAD = 64 * 1024;
    private final Path socket;

    public UnixSocketTransport(Path socket) {
        this.socket = socket;
    }

    @Override
    public Response send(Request request) throws IOException {
        if (!Files.exists(socket)) {
            throw new ConnectException("no socket at " + socket);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "csemu-unix-timeout");
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean timedOut = new AtomicBoolean();
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                timedOut.set(true);
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing is the point
                }
            }, request.timeout().toMillis(), TimeUnit.MILLISECONDS);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                writeRequest(ch, request);
                return readResponse(new BufferedInputStream(Channels.newInputStream(ch)));
            } catch (IOException e) {
                if (timedOut.get()) {
                    throw new HttpTimeoutException("no answer from " + describe() + " within " + request.timeout());
                }
                throw e;
            } finally {
                deadline.cancel(false);
            }
        } finally {
            timer.shutdownNow();
        }
    }

    private static void writeRequest(SocketChannel ch, Request request) throws IOException {
        long length = request.file() != null ? Files.size(request.file())
                : request.bytes() != null ? request.bytes().length : 0;
        StringBuilder head = new StringBuilder()
                .append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n")
                .append("Host: localhost\r\nConnection: close\r\n")
                .append("Content-Length: ").append(length).append("\r\n");
        if (request.contentType() != null) {
            head.append("Content-Type: ").append(request.contentType()).append("\r\n");
        }
        request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        writeFully(ch, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
        if (request.file() != null) {
            try (FileChannel f = FileChannel.open(request.file(), StandardOpenOption.READ)) {
                long pos = 0;
                while (pos < length) {
                    pos += f.transferTo(pos, length - pos, ch);
                }
            }
        } else if (request.bytes() != null) {
            writeFully(ch, ByteBuffer.wrap(request.bytes()));
        }
    }

    private static void writeFully(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static Response readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: '" + statusLine + "'");
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int c = line.indexOf(':');
            if (c > 0) {
                headers.put(line.substring(0, c).trim().toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
            }
        }
        if (status == 100) {
            return readResponse(in);
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String size = readLine(in);
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (n == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    break;
                }
                out.write(in.readNBytes(n));
                readLine(in);
            }
            body = out.toByteArray();
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new IOException("the answer ended after " + body.length + " of " + n + " bytes");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Response(status, headers, body);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
            if (line.size() > MAX_HEAD) {
                throw new IOException("answer line too long");
            }
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("the daemon closed the connection without an answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public String describe() {
        return "unix:" + socket;
    }
}
