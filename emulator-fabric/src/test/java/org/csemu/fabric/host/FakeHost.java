package org.csemu.fabric.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A fake host for check tests: files under a temporary root and canned command answers. */
final class FakeHost implements CommandRunner {

    final Path root;
    final Map<String, CommandResult> answers = new HashMap<>();
    final List<String> commands = new ArrayList<>();

    FakeHost(Path root) {
        this.root = root;
    }

    HostContext context() {
        return new HostContext(root, this, HostContext.DEFAULT_URI, Path.of("/var/lib/csemu"),
                Path.of("/var/lib/csemu/image-cache"), List.of("/usr/sbin", "/usr/bin"));
    }

    @Override
    public CommandResult run(Duration timeout, List<String> command) {
        String line = String.join(" ", command);
        commands.add(line);
        return answers.getOrDefault(line, CommandResult.notStarted(command.get(0) + ": No such file or directory"));
    }

    FakeHost answer(String command, int exit, String stdout, String stderr) {
        answers.put(command, new CommandResult(exit, stdout, stderr, false));
        return this;
    }

    Path file(String hostPath, String content) {
        Path p = root.resolve(hostPath.substring(1));
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    Path executable(String hostPath) {
        Path p = file(hostPath, "#!/bin/sh\n");
        mode(p, "rwxr-xr-x");
        return p;
    }

    Path dir(String hostPath, String mode) {
        Path p = root.resolve(hostPath.substring(1));
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        mode(p, mode);
        return p;
    }

    static void mode(Path p, String mode) {
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A /proc/<pid>/status entry. */
    FakeHost process(long pid, String name, long parent) {
        file("/proc/" + pid + "/status", "Name:\t" + name + "\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t" + pid
                + "\nPid:\t" + pid + "\nPPid:\t" + parent + "\n");
        return this;
    }
}
