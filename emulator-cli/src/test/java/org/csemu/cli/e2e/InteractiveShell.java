package org.csemu.cli.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.csemu.cli.CliRun;
import org.csemu.testing.Await;

/**
 * {@code csemu shell} run in this JVM as a user would, with its stdin a pipe the test types into and its stdout
 * captured: {@code System.in} and {@code System.out} are the command's terminal, so they are swapped for the
 * session and restored at its end (the VM tests run one class at a time in this JVM).
 */
final class InteractiveShell implements AutoCloseable {
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final CompletableFuture<LiveDaemon.Result> result;
    private final InputStream savedIn = System.in;
    private final PrintStream savedOut = System.out;

    InteractiveShell(String... args) throws IOException {
        PipedInputStream in = new PipedInputStream(keyboard, 64 * 1024);
        System.setIn(in);
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (screen) {
                    screen.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (screen) {
                    screen.write(b, off, len);
                }
            }
        }, true));
        result = CompletableFuture.supplyAsync(() -> {
            CliRun run = CliRun.of(args);
            return new LiveDaemon.Result(run.exitCode(), run.out(), run.err());
        });
    }

    void type(String keys) throws IOException {
        keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
    }

    /** Waits until the screen shows {@code text} (the guest's answer, not only the echo of what was typed). */
    void awaitScreen(String text, Duration within) {
        Await.until(within, () -> screen().contains(text) || result.isDone(),
                "the shell's screen to show '" + text + "'");
        if (!screen().contains(text)) {
            throw new AssertionError("the shell ended before showing '" + text + "': " + result.join().all()
                    + "\nscreen:\n" + screen());
        }
    }

    String screen() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    /** End of input (as closing a pipe into csemu shell), then the command's outcome. */
    LiveDaemon.Result endInputAndWait(Duration within) throws Exception {
        keyboard.close();
        return await(within);
    }

    LiveDaemon.Result await(Duration within) throws Exception {
        return result.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws IOException {
        try {
            keyboard.close();
        } finally {
            System.setIn(savedIn);
            System.setOut(savedOut);
        }
    }
}
