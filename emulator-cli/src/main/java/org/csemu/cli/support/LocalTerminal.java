package org.csemu.cli.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The user's own terminal while {@code csemu shell} runs: raw mode (every key goes to the guest, ^C included, and the
 * guest's terminal echoes), its size, and its size changes. Through {@code stty} on {@code /dev/tty}, as
 * {@code ssh} and {@code docker exec -it} do it in effect; the JDK has no terminal API. When stdin or stdout is not a
 * terminal (a pipe, a test), none of this applies and the session still works, with a 24 x 80 guest terminal.
 */
public final class LocalTerminal implements AutoCloseable {
    public static final int DEFAULT_ROWS = 24;
    public static final int DEFAULT_COLS = 80;
    private final String saved;

    private LocalTerminal(String saved) {
        this.saved = saved;
    }

    /** Raw mode on the user's terminal when there is one (both stdin and stdout), until {@link #close}. */
    public static Optional<LocalTerminal> enterRawMode() {
        if (System.console() == null) {
            return Optional.empty();
        }
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return Optional.empty();
        }
        LocalTerminal t = new LocalTerminal(saved.get().trim());
        Runtime.getRuntime().addShutdownHook(new Thread(t::close, "csemu-shell-restore-terminal"));
        return Optional.of(t);
    }

    /** Rows and columns of the user's terminal, or 24 x 80 without one. */
    public static int[] size() {
        if (System.console() == null) {
            return new int[] {DEFAULT_ROWS, DEFAULT_COLS};
        }
        return stty("size").map(s -> s.trim().split("\\s+")).filter(p -> p.length == 2)
                .map(p -> new int[] {positive(p[0], DEFAULT_ROWS), positive(p[1], DEFAULT_COLS)})
                .orElse(new int[] {DEFAULT_ROWS, DEFAULT_COLS});
    }

    /** Calls {@code onResize} when the user's terminal changes size (SIGWINCH), while the JVM runs. */
    public void onResize(Runnable onResize) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> onResize.run());
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here: the guest terminal keeps the size it started with
        }
    }

    @Override
    public synchronized void close() {
        stty(saved);
    }

    private static int positive(String s, int fallback) {
        try {
            int n = Integer.parseInt(s);
            return n > 0 && n <= 0xFFFF ? n : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static Optional<String> stty(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
