package org.csemu.fabric.api.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.csemu.fabric.api.TerminalSession;

/**
 * A terminal for API tests: it echoes every line typed, prefixed with the prompt; {@code exit N} ends it with N, and
 * a resize is echoed as {@code size ROWSxCOLS}. No guest, so the relay and the framing are what a test sees.
 */
public final class EchoTerminal implements TerminalSession {
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> out = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final StringBuilder line = new StringBuilder();
    private final String prompt;
    private final List<String> closes = new ArrayList<>();
    private byte[] pending = new byte[0];

    public EchoTerminal(boolean elevated, int rows, int cols) {
        this.prompt = (elevated ? "# " : "$ ");
        out.add(("size " + rows + "x" + cols + "\r\n" + prompt).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public synchronized void write(ByteBuffer input) {
        while (input.hasRemaining()) {
            char c = (char) input.get();
            if (c != '\n') {
                line.append(c);
                continue;
            }
            String typed = line.toString();
            line.setLength(0);
            if (typed.startsWith("exit ")) {
                out.add(("bye\r\n").getBytes(StandardCharsets.UTF_8));
                out.add(END);
                exit.complete(Integer.parseInt(typed.substring(5).trim()));
                return;
            }
            out.add((typed + "\r\n" + prompt).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public int read(ByteBuffer into) throws java.io.IOException {
        if (pending.length == 0) {
            try {
                pending = out.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException();
            }
            if (pending == END) {
                out.add(END);
                pending = new byte[0];
                return -1;
            }
        }
        int k = Math.min(into.remaining(), pending.length);
        into.put(pending, 0, k);
        pending = java.util.Arrays.copyOfRange(pending, k, pending.length);
        return k;
    }

    @Override
    public void resize(int rows, int cols) {
        out.add(("size " + rows + "x" + cols + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    @Override
    public List<String> notices() {
        return List.of();
    }

    @Override
    public synchronized void close() {
        closes.add("closed");
        if (!exit.isDone()) {
            exit.complete(129); // hung up, as SIGHUP ends a shell
            out.add(END);
        }
    }

    public synchronized boolean closed() {
        return !closes.isEmpty();
    }
}
