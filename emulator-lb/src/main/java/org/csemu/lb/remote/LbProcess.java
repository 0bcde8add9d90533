package org.csemu.lb.remote;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * How to start the {@link LbHost} process (its control socket, command, log and start timeout), and reaching it:
 * {@link #start} runs it detached and waits until it answers, {@link #open} connects to the one on a socket.
 */
record LbProcess(Path socket, List<String> command, Path log, Duration timeout) {

    LbProcess {
        command = List.copyOf(command);
    }

    /** Starts the LB process (detached, its own session) and returns a connection to it once it answers. */
    SocketChannel start() throws IOException {
        List<String> detached = new ArrayList<>();
        detached.add("setsid"); // its own session: a signal to the daemon's process group does not reach it
        detached.addAll(command);
        Process p = new ProcessBuilder(detached).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try {
                return open(socket);
            } catch (IOException e) {
                last = e;
            }
            if (!p.isAlive() && p.exitValue() != 0 && !answers(socket)) {
                throw new IOException("the VIP load balancer process exited with " + p.exitValue() + "; see " + log);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        p.destroy();
        throw new IOException("the VIP load balancer process did not answer on " + socket + " within " + timeout
                + " (see " + log + ")", last);
    }

    /** A connection to the LB process on {@code socket}. */
    static SocketChannel open(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            throw new IOException("no control socket " + socket);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** True when an LB process answers on {@code socket}. */
    static boolean answers(Path socket) {
        try (SocketChannel ch = open(socket)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
