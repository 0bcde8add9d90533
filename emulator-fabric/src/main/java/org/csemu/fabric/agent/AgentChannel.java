package org.csemu.fabric.agent;

import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The host end of one instance's guest-agent channel: a client of the unix socket QEMU binds for the
 * virtio-serial port. It connects as soon as the socket exists (a guest write blocks until someone reads), reads
 * NDJSON on its own thread, drops stale lines, hands messages to the listener in order, and reconnects by itself
 * whenever the stream ends (QEMU restarted for a reimage, a fresh daemon adopting a running guest).
 */
public final class AgentChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

    private final Path socket;
    private final AgentListener listener;
    private final StaleLineFilter filter = new StaleLineFilter();
    private final Map<String, CompletableFuture<AgentMessage.Ack>> pendingAcks = new ConcurrentHashMap<>();
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final Object writeLock = new Object();
    private final Poller reconnectPoller = new Poller(Duration.ofMillis(20), Duration.ofMillis(200));
    private volatile SocketChannel channel;
    private volatile boolean closed;
    private volatile Instant lastHeartbeat;
    private volatile Instant lastMessage;
    private Thread reader;

    public AgentChannel(Path socket, AgentListener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /** Starts the reader thread, which connects (and reconnects) on its own until {@link #close()}. */
    public synchronized AgentChannel start() {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = new Thread(this::run, "csemu-agent[" + socket.getParent().getFileName() + "]");
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Waits until the channel is connected (the socket exists and accepted us). */
    public void awaitConnected(Deadline deadline) throws TimeoutException, InterruptedException {
        Poller.standard().until("connect to the agent socket " + socket, deadline, () -> channel != null);
    }

    public boolean isConnected() {
        return channel != null;
    }

    /** When the last heartbeat arrived; empty before the first one. */
    public Optional<Instant> lastHeartbeat() {
        return Optional.ofNullable(lastHeartbeat);
    }

    /** When the last accepted message of any type arrived. */
    public Optional<Instant> lastMessage() {
        return Optional.ofNullable(lastMessage);
    }

    /** The boot id of the guest's current boot, as far as the channel has seen. */
    public Optional<String> currentBoot() {
        return Optional.ofNullable(filter.currentBoot());
    }

    /**
     * Runs a command in the guest through the agent ({@code exec}); each output line goes to {@code output} as it
     * arrives, the future completes with the exit code. It fails when the channel closes or the guest restarts
     * before the command ended.
     */
    public CompletableFuture<Integer> exec(String command, boolean elevated, byte[] stdin, Consumer<String> output)
            throws IOException {
        String id = newId();
        Execution e = new Execution(output, new CompletableFuture<>());
        executions.put(id, e);
        e.exit().whenComplete((code, failure) -> executions.remove(id));
        try {
            send(AgentCodec.exec(id, command, elevated, stdin));
        } catch (IOException failure) {
            executions.remove(id);
            throw failure;
        }
        return e.exit();
    }

    /**
     * Starts an interactive shell on the guest's virtio console ({@code shell}); the terminal's bytes travel on the
     * console's own socket, not here. Lines the agent reports instead (why it could not start) go to {@code notices};
     * the future completes with the shell's exit code, and fails like an exec's when the channel closes or the guest
     * restarts. Returns the session id {@link #resizeShell} and {@link #closeShell} take.
     */
    public ShellHandle openShell(boolean elevated, int rows, int cols, Consumer<String> notices) throws IOException {
        String id = newId();
        Execution e = new Execution(notices, new CompletableFuture<>());
        executions.put(id, e);
        e.exit().whenComplete((code, failure) -> executions.remove(id));
        try {
            send(AgentCodec.shell(id, elevated, rows, cols));
        } catch (IOException failure) {
            executions.remove(id);
            throw failure;
        }
        return new ShellHandle(id, e.exit());
    }

    /** A shell session the agent runs: its id and its exit code. */
    public record ShellHandle(String id, CompletableFuture<Integer> exit) {
    }

    public void resizeShell(String id, int rows, int cols) throws IOException {
        send(AgentCodec.shellResize(id, rows, cols));
    }

    public void closeShell(String id) throws IOException {
        send(AgentCodec.shellClose(id));
    }

    private record Execution(Consumer<String> output, CompletableFuture<Integer> exit) {
    }

    /** Sends {@code stopping} and returns the future of its ack. */
    public CompletableFuture<AgentMessage.Ack> sendStopping(String then) throws IOException {
        String id = newId();
        return sendExpectingAck(id, AgentCodec.stopping(id, then));
    }

    /** Sends {@code changing} (the ack's {@code cancel} says whether the role wants to be recycled instead). */
    public CompletableFuture<AgentMessage.Ack> sendChanging(List<Map<String, String>> changes) throws IOException {
        String id = newId();
        return sendExpectingAck(id, AgentCodec.changes("changing", id, changes));
    }

    public CompletableFuture<AgentMessage.Ack> sendChanged(List<Map<String, String>> changes) throws IOException {
        String id = newId();
        return sendExpectingAck(id, AgentCodec.changes("changed", id, changes));
    }

    /** Sends one raw JSON line whose {@code id} is {@code id} and returns the future of its ack. */
    public CompletableFuture<AgentMessage.Ack> sendExpectingAck(String id, String jsonLine) throws IOException {
        CompletableFuture<AgentMessage.Ack> ack = new CompletableFuture<>();
        pendingAcks.put(id, ack);
        ack.whenComplete((a, e) -> pendingAcks.remove(id));
        try {
            send(jsonLine);
        } catch (IOException e) {
            pendingAcks.remove(id);
            throw e;
        }
        return ack;
    }

    /** Writes one line to the guest; fails when the channel is not connected. */
    public void send(String jsonLine) throws IOException {
        if (jsonLine.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a protocol message must be a single line");
        }
        SocketChannel c = channel;
        if (c == null) {
            throw new IOException("agent channel " + socket + " is not connected");
        }
        ByteBuffer buffer = ByteBuffer.wrap((jsonLine + "\n").getBytes(StandardCharsets.UTF_8));
        synchronized (writeLock) {
            while (buffer.hasRemaining()) {
                c.write(buffer);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        SocketChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        Thread r;
        synchronized (this) {
            r = reader;
        }
        if (r != null) {
            r.interrupt();
        }
        pendingAcks.values().forEach(f -> f.completeExceptionally(new IOException("agent channel closed")));
        executions.values().forEach(e -> e.exit().completeExceptionally(new IOException("agent channel closed")));
    }

    private void run() {
        while (!closed) {
            SocketChannel c;
            try {
                c = reconnectPoller.until("agent socket " + socket, Deadline.after(Duration.ofDays(3650)), this::tryConnect);
            } catch (InterruptedException | TimeoutException e) {
                return;
            }
            channel = c;
            listener.onConnection(true);
            try {
                readLines(c);
            } catch (IOException e) {
                if (!closed) {
                    LOG.debug("agent channel {} broke: {}", socket, e.getMessage());
                }
            } finally {
                channel = null;
                try {
                    c.close();
                } catch (IOException ignored) {
                    // already broken
                }
                if (!closed) {
                    listener.onConnection(false);
                }
            }
        }
    }

    private Optional<SocketChannel> tryConnect() throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
            return Optional.of(c);
        } catch (IOException e) {
            c.close();
            return Optional.empty();
        }
    }

    private void readLines(SocketChannel c) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
        String line;
        while (!closed && (line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            AgentMessage message;
            try {
                message = AgentCodec.parse(line);
            } catch (IllegalArgumentException e) {
                LOG.warn("ignoring a malformed line from the agent on {}: {} ({})", socket, abbreviate(line), e.getMessage());
                continue;
            }
            if (!filter.accept(message)) {
                LOG.debug("dropping a stale agent line on {}: {}", socket, abbreviate(line));
                continue;
            }
            lastMessage = Instant.now();
            if (message instanceof AgentMessage.Heartbeat) {
                lastHeartbeat = lastMessage;
            }
            if (message instanceof AgentMessage.Exec x && x.id() != null) {
                Execution e = executions.get(x.id());
                if (e != null && x.exitCode() != null) {
                    e.exit().complete(x.exitCode());
                } else if (e != null && x.output() != null) {
                    e.output().accept(x.output());
                }
                continue;
            }
            if (message instanceof AgentMessage.Hello) {
                executions.values().forEach(e -> e.exit().completeExceptionally(
                        new IOException("the guest restarted before the command ended")));
            }
            if (message instanceof AgentMessage.Ack ack && ack.id() != null) {
                CompletableFuture<AgentMessage.Ack> pending = pendingAcks.get(ack.id());
                if (pending != null) {
                    pending.complete(ack);
                }
            }
            try {
                listener.onMessage(message);
            } catch (RuntimeException e) {
                LOG.warn("agent listener failed on {}: {}", message, e.getMessage(), e);
            }
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
