package org.csemu.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/** What {@code /proc} says about processes: their uids and command lines (evidence from the host, not from csemu). */
final class ProcFs {

    private ProcFs() {
    }

    /** Every live pid whose real or effective uid is {@code uid}. */
    static List<Long> pidsOfUid(long uid) {
        List<Long> pids = new ArrayList<>();
        for (long pid : all()) {
            long[] ids = uids(pid);
            if (ids != null && (ids[0] == uid || ids[1] == uid)) {
                pids.add(pid);
            }
        }
        return pids;
    }

    /** {real, effective, saved, filesystem} uid of a process, or null when it is gone. */
    static long[] uids(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3])};
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The parent pid, if the process still exists. */
    static OptionalLong parent(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("PPid:")) {
                    return OptionalLong.of(Long.parseLong(line.substring(5).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** The command line, arguments joined by spaces ("" when gone or a kernel thread). */
    static String cmdline(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    static List<Long> all() {
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
