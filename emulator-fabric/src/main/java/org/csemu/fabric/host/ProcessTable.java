package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code /proc} (under the context's root): process names, parents, pidfiles. */
final class ProcessTable {

    /** A process as {@code /proc/<pid>/status} describes it. */
    record Proc(long pid, String name, long parentPid) {
    }

    private final HostContext context;

    ProcessTable(HostContext context) {
        this.context = context;
    }

    Optional<Proc> process(long pid) {
        Path status = context.path("/proc").resolve(Long.toString(pid)).resolve("status");
        try {
            String name = null;
            long parent = -1;
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Name:")) {
                    name = line.substring(5).strip();
                } else if (line.startsWith("PPid:")) {
                    parent = Long.parseLong(line.substring(5).strip());
                }
            }
            return name == null ? Optional.empty() : Optional.of(new Proc(pid, name, parent));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The live process whose pid a pidfile (a host path) holds, if it is alive and has the expected name. */
    Optional<Proc> fromPidfile(String pidfile, String expectedName) {
        try {
            long pid = Long.parseLong(Files.readString(context.path(pidfile)).strip());
            return process(pid).filter(p -> p.name().equals(expectedName));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Every live process with that name (from /proc/<pid>/status). */
    List<Proc> named(String name) {
        List<Proc> found = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(context.path("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                process(Long.parseLong(dir.getFileName().toString())).filter(p -> p.name().equals(name)).ifPresent(found::add);
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    /** The process running {@code name}: its pidfile first, else a scan of /proc. */
    Optional<Proc> find(String name, String pidfile) {
        Optional<Proc> byPidfile = fromPidfile(pidfile, name);
        return byPidfile.isPresent() ? byPidfile : named(name).stream().findFirst();
    }
}
