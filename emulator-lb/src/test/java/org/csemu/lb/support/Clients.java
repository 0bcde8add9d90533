package org.csemu.lb.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Blocking clients for the line protocol. */
public final class Clients {
    private Clients() {
    }

    /** Connects from {@code source} (any port), asks once, returns the backend's name. */
    public static String askOnce(String source, int port) throws IOException {
        try (Socket s = connect(source, port)) {
            return ask(s);
        }
    }

    /** Like {@link #askOnce}, but null when the VIP closed (or reset) the connection without an answer. */
    public static String askOnceOrClosed(String source, int port) throws IOException {
        try (Socket s = connect(source, port)) {
            s.getOutputStream().write('\n');
            s.getOutputStream().flush();
            return readLine(s.getInputStream());
        } catch (java.net.SocketException reset) {
            return null;
        }
    }

    public static Socket connect(String source, int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.setTcpNoDelay(true);
        if (source != null) {
            s.bind(new InetSocketAddress(source, 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    public static String ask(Socket s) throws IOException {
        s.getOutputStream().write('\n');
        s.getOutputStream().flush();
        String line = readLine(s.getInputStream());
        if (line == null) {
            throw new IOException("connection closed before an answer");
        }
        return line;
    }

    public static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** One datagram from {@code source}:{@code sourcePort} to the VIP, returns the answer. */
    public static String udpAsk(DatagramSocket socket, int port, String payload) throws IOException {
        byte[] out = payload.getBytes(StandardCharsets.US_ASCII);
        socket.send(new DatagramPacket(out, out.length, InetAddress.getByName("127.0.0.1"), port));
        byte[] in = new byte[512];
        DatagramPacket p = new DatagramPacket(in, in.length);
        socket.receive(p);
        return new String(in, 0, p.getLength(), StandardCharsets.US_ASCII);
    }

    /** 127.0.X.Y for the n-th test client (n from 0), never 127.0.0.1 itself. */
    public static String clientAddress(int n) {
        int v = n + 2;
        return "127.0." + ((v >> 8) & 0xFF) + "." + (v & 0xFF);
    }
}
