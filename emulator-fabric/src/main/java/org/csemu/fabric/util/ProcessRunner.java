package org.csemu.fabric.util;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a host tool ({@code qemu-img}, {@code mkfs.ext4}, {@code debugfs}, ...) with a time limit, capturing its
 * output, and kills exactly the process it started when the limit passes.
 */
public final class ProcessRunner {

    /** The outcome of a finished process. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Returns this result when the exit code is 0, else throws with the command and its stderr. */
        public Result orThrow() throws IOException {
            if (exitCode != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + exitCode + ": "
                        + (stderr.isBlank() ? stdout.strip() : stderr.strip()));
            }
            return this;
        }
    }

    /** Where tools live besides the caller's PATH: a normal user's PATH lacks the sbin directories (mkfs.ext4). */
    private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
            "/usr/bin", "/sbin", "/bin");

    private ProcessRunner() {
    }

    /** The absolute path of a tool named without a directory: on $PATH, else in the system directories. */
    static String locate(String tool) {
        if (tool.contains("/")) {
            return tool;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> dirs = new java.util.ArrayList<>(List.of(path.split(":")));
        dirs.addAll(SYSTEM_DIRS);
        for (String dir : dirs) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return tool;
    }

    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        return run(timeout, null, command);
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, null, List.of(command));
    }

    public static Result run(Duration timeout, Path workDir, List<String> command) throws IOException, InterruptedException {
        List<String> resolved = new java.util.ArrayList<>(command);
        resolved.set(0, locate(command.get(0)));
        ProcessBuilder builder = new ProcessBuilder(resolved).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (is it installed?): " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout.toMillis() + " ms; killed pid " + process.pid());
        }
        try {
            return new Result(List.copyOf(command), process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the output of " + command.get(0), e);
        }
    }

    private static String drain(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
