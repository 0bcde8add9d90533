package org.csemu.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately low-level HTTP/1.1 client for tests that must send what a normal client would not (a forged
 * {@code Host}, a lying {@code Content-Length}, garbage). One request per connection, on loopback.
 */
public final class RawHttp {

    /** A parsed response; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method path} with {@code headers} (a {@code null} value leaves that header out); {@code Host}
     * defaults to the loopback address and port, {@code Connection} is {@code close}, {@code Content-Length} defaults
     * to the body's length.
     */
    public static Response send(int port, String method, String path, Map<String, String> headers, byte[] body)
            throws IOException {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "127.0.0.1:" + port);
        h.putAll(headers);
        h.put("Connection", "close");
        if (body != null) {
            h.putIfAbsent("Content-Length", Integer.toString(body.length));
        }
        h.forEach((k, v) -> {
            if (v != null) {
                head.append(k).append(": ").append(v).append("\r\n");
            }
        });
        head.append("\r\n");
        return send(port, head.toString(), body);
    }

    /** Sends {@code head} exactly as given (request line and headers, ending in an empty line), then {@code body}. */
    public static Response send(int port, String head, byte[] body) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer and close before reading everything: read what it said
                }
            }
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** Reads one response to the end of the stream (a reset after some bytes counts as the end). */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        try {
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (all.size() == 0) {
                throw e;
            }
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no complete response: '" + text + "'");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        String body = new String(text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        return new Response(status, headers, body);
    }
}
