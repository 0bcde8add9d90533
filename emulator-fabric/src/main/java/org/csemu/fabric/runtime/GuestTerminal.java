package org.csemu.fabric.runtime;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.csemu.fabric.agent.AgentChannel;
import org.csemu.fabric.api.TerminalSession;
import org.csemu.fabric.spi.RuntimeOperationException;

/**
 * One {@code csemu shell} session: the guest's virtio console (hvc0) through the unix socket QEMU binds for it, and
 * the session's start, size, hang-up and exit through the agent channel. The console socket is connected before the
 * agent is asked to start the shell, so nothing the shell prints first is lost. Input waits for the agent's start
 * marker ({@link TerminalMarker}): keys typed before the guest's terminal process took the session (init may still be
 * respawning it after the last session) would be discarded there. The session's output ends at the end marker;
 * should it never come (the guest's terminal process was killed), the socket is closed {@link #MARKER_GRACE_SECONDS}
 * after the exit code arrived.
 */
final class GuestTerminal implements TerminalSession {
    static final int MARKER_GRACE_SECONDS = 5;
    /** Input waits this long for the start marker; an agent older than the marker never sends one. */
    static final int START_WAIT_SECONDS = 30;

    private final SocketChannel console;
    private final AgentChannel agent;
    private final AgentChannel.ShellHandle handle;
    private final TerminalMarker start;
    private final TerminalMarker end;
    private final CountDownLatch shellStarted = new CountDownLatch(1);
    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;
    private byte[] pending = new byte[0];
    private boolean ended;

    private GuestTerminal(SocketChannel console, AgentChannel agent, boolean elevated, int rows, int cols,
                          Runnable onClose) throws IOException {
        this.console = console;
        this.agent = agent;
        this.onClose = onClose;
        this.handle = agent.openShell(elevated, rows, cols, notices::add);
        this.start = TerminalMarker.start(handle.id());
        this.end = TerminalMarker.end(handle.id());
        handle.exit().whenComplete((code, failure) -> {
            shellStarted.countDown(); // nothing to wait for any more
            if (failure != null) {
                close(); // the guest went away: nothing more will come
            } else {
                CompletableFuture.delayedExecutor(MARKER_GRACE_SECONDS, TimeUnit.SECONDS).execute(() -> {
                    if (!end.found()) {
                        closeConsole();
                    }
                });
            }
        });
    }

    /** Connects to the console socket, then asks the agent for the shell; {@code onClose} runs once at the end. */
    static GuestTerminal open(Path consoleSocket, AgentChannel agent, String instance, boolean elevated, int rows,
                              int cols, Runnable onClose) {
        SocketChannel console;
        try {
            console = SocketChannel.open(StandardProtocolFamily.UNIX);
            console.connect(UnixDomainSocketAddress.of(consoleSocket));
        } catch (IOException e) {
            throw new RuntimeOperationException(instance + ": cannot connect to the guest's terminal " + consoleSocket
                    + " (" + e.getMessage() + "); an instance created by an older csemu has none: reimage it", e);
        }
        try {
            return new GuestTerminal(console, agent, elevated, rows, cols, onClose);
        } catch (IOException e) {
            try {
                console.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new RuntimeOperationException(instance + ": cannot ask the guest agent for a shell: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void write(ByteBuffer input) throws IOException {
        try {
            shellStarted.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the guest's shell to start", e);
        }
        while (input.hasRemaining()) {
            console.write(input);
        }
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        while (pending.length == 0) {
            if (ended) {
                return -1;
            }
            ByteBuffer chunk = ByteBuffer.allocate(Math.max(into.remaining(), 256));
            int n;
            try {
                n = console.read(chunk);
            } catch (IOException e) {
                n = -1; // closed under us: the session is over
            }
            if (n < 0) {
                byte[] tail = start.rest();
                pending = new TerminalMarker.Split(end.accept(tail, tail.length).before(), end.rest()).both();
                ended = true;
            } else {
                byte[] output = start.accept(chunk.array(), n).both();
                if (start.found()) {
                    shellStarted.countDown();
                }
                pending = end.accept(output, output.length).before();
                ended = end.found();
            }
        }
        int k = Math.min(into.remaining(), pending.length);
        into.put(pending, 0, k);
        pending = Arrays.copyOfRange(pending, k, pending.length);
        return k;
    }

    @Override
    public void resize(int rows, int cols) throws IOException {
        agent.resizeShell(handle.id(), rows, cols);
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return handle.exit();
    }

    @Override
    public List<String> notices() {
        return List.copyOf(notices);
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!handle.exit().isDone()) {
            try {
                agent.closeShell(handle.id());
            } catch (IOException e) {
                // the agent is gone: so is the session
            }
        }
        shellStarted.countDown();
        closeConsole();
        onClose.run();
    }

    private void closeConsole() {
        try {
            console.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
