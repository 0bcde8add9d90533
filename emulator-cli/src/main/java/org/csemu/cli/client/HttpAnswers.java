package org.csemu.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.csemu.cli.client.HttpTransport.StreamedResponse;

/**
 * Reads an HTTP/1.1 answer off a connection's stream for {@link SocketTransport}: the status line and headers
 * (interim {@code 100 Continue}s skipped), then the body by {@code Content-Length}, chunks or end of stream, decoded
 * as it arrives.
 */
final class HttpAnswers {

    private static final int MAX_LINE = 64 * 1024;

    private HttpAnswers() {
    }

    /** The final answer's head, skipping interim {@code 100 Continue}s. */
    static StreamedResponse readHead(InputStream in) throws IOException {
        while (true) {
            StreamedResponse head = readStatus(in);
            if (head.status() != 100) {
                return head;
            }
        }
    }

    /** One status line and its headers, interim or final. */
    static StreamedResponse readStatus(InputStream in) throws IOException {
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
        return new StreamedResponse(status, headers, InputStream.nullInputStream());
    }

    static InputStream bodyOf(InputStream in, Map<String, String> headers) throws IOException {
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new ChunkedInputStream(in);
        }
        if (headers.containsKey("content-length")) {
            long n = Long.parseLong(headers.get("content-length"));
            return new BoundedInputStream(in, n);
        }
        return in;
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.write(c);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("answer line too long");
            }
        }
        if (c < 0 && line.size() == 0) {
            throw new IOException("the daemon closed the connection without an answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** A body decoded from the connection's stream: single bytes through the bulk read; closing closes the stream. */
    private abstract static class BodyStream extends InputStream {
        protected final InputStream in;

        BodyStream(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Exactly {@code length} bytes of the underlying stream; a shorter stream is an error. */
    private static final class BoundedInputStream extends BodyStream {
        private long remaining;

        BoundedInputStream(InputStream in, long length) {
            super(in);
            this.remaining = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new IOException("the answer ended " + remaining + " bytes early");
            }
            remaining -= n;
            return n;
        }
    }

    /** Decodes {@code Transfer-Encoding: chunked} as it arrives. */
    private static final class ChunkedInputStream extends BodyStream {
        private long chunkLeft;
        private boolean done;

        ChunkedInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = readLine(in);
                int semi = size.indexOf(';');
                chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                if (chunkLeft == 0) {
                    while (!readLine(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new IOException("the answer ended inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in); // CRLF after the chunk
            }
            return n;
        }
    }
}
