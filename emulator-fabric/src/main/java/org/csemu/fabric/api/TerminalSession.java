package org.csemu.fabric.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * An interactive shell in an instance's guest ({@code csemu shell}): the bytes of a real terminal both ways, its size,
 * and the shell's exit code. One per instance at a time. {@link #close} hangs the terminal up (the guest's session
 * gets SIGHUP, as when a terminal window closes); it is safe to call at any time and more than once.
 */
public interface TerminalSession extends AutoCloseable {

    /** Sends what the user typed to the guest's terminal (blocking until written). */
    void write(ByteBuffer input) throws IOException;

    /**
     * Reads what the terminal printed into {@code into} (blocking); -1 once the session ended and everything it
     * printed has been read.
     */
    int read(ByteBuffer into) throws IOException;

    /** The user's terminal changed size: the guest's terminal follows, and its foreground job gets SIGWINCH. */
    void resize(int rows, int cols) throws IOException;

    /** The shell's exit code; fails when the guest went away before the shell ended. */
    CompletableFuture<Integer> exit();

    /** What the guest agent said instead of starting the shell (e.g. that this guest has no terminal). */
    List<String> notices();

    @Override
    void close();
}
