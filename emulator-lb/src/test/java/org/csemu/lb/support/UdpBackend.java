package org.csemu.lb.support;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A UDP backend that answers every datagram with its name and the payload ("name:payload"). */
public final class UdpBackend implements AutoCloseable {
    private final DatagramSocket socket;
    private final Thread thread;

    public UdpBackend(String name) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        thread = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    byte[] out = (name + ":" + new String(buf, 0, p.getLength(), StandardCharsets.US_ASCII))
                            .getBytes(StandardCharsets.US_ASCII);
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    // keep serving
                }
            }
        }, "udp-backend-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
