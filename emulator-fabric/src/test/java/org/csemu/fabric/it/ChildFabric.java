package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link FabricChildMain} JVM on a test class's data directory, for tests that kill a fabric with SIGKILL. */
final class ChildFabric {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildFabric(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        }, "child-fabric-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts one with these JVM options and FabricChildMain's optional arguments (service, configuration). */
    static ChildFabric start(VmTestEnvironment env, List<String> jvmOptions, List<String> extra) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FabricChildMain.class.getName(),
                env.dataDir().toString(), env.imageDir().toString(), VmTestEnvironment.libvirtUri()));
        cmd.addAll(extra);
        return new ChildFabric(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The next line starting with {@code prefix}, within the boot budget. */
    String await(String prefix) throws Exception {
        long deadline = System.nanoTime() + BOOT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("the child fabric did not print " + prefix + " (alive=" + process.isAlive() + ")");
    }

    void send(String line) throws Exception {
        OutputStream out = process.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** SIGKILL, and wait for the process to be gone. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
