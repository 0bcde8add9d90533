package org.csemu.lb.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import org.csemu.lb.PortUnavailableException;

/**
 * One connection to an {@link LbHost}'s control socket: a request goes out as one {@link Wire} line, its reply comes
 * back as one, and a refusal ({@code ERR}) is thrown as the exception the in-process load balancer would throw. Not
 * thread-safe: {@link RemoteLoadBalancer} calls it under its lock.
 */
final class ControlChannel {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    ControlChannel(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /**
     * Sends {@code request} and returns the reply's tokens after its status.
     *
     * @throws UncheckedIOException the process is unreachable or closed the channel
     */
    Iterator<String> exchange(Object[] request) {
        String reply;
        try {
            out.write(Wire.line(request));
            out.write('\n');
            out.flush();
            reply = in.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException("the VIP load balancer process is unreachable: " + e.getMessage(), e);
        }
        if (reply == null) {
            throw new UncheckedIOException(new IOException("the VIP load balancer process closed the control channel"));
        }
        Iterator<String> t = Wire.tokens(reply);
        String status = t.next();
        if (status.equals("ERR")) {
            String type = t.next();
            String message = t.next();
            throw switch (type) {
                case "PortUnavailableException" -> new PortUnavailableException(message, null);
                case "IllegalArgumentException" -> new IllegalArgumentException(message);
                default -> new IllegalStateException(type + ": " + message);
            };
        }
        return t;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
