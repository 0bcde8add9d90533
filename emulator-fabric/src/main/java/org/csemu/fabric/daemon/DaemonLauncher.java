package org.csemu.fabric.daemon;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link DaemonMain} as a detached background process: the same Java, the same classpath (the csemu jar),
 * a new session ({@code setsid}, so that closing the terminal does not signal it), stdin from {@code /dev/null},
 * stdout and stderr appended to the daemon log. System properties named {@code csemu.*} are passed on, and extra
 * JVM options can be given in {@code $CSEMU_DAEMON_JAVA_OPTS}.
 */
public final class DaemonLauncher {

    private static final List<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid");

    private DaemonLauncher() {
    }

    public static Process spawn(DaemonOptions options) throws IOException {
        DataDirectory dir = options.dataDirectory();
        dir.create();
        List<String> cmd = command(options);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.logFile().toFile()))
                .redirectErrorStream(true)
                .directory(dir.root().toFile());
        return pb.start();
    }

    static List<String> command(DaemonOptions options) {
        List<String> cmd = new ArrayList<>();
        SETSID.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().ifPresent(cmd::add);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        String extra = System.getenv("CSEMU_DAEMON_JAVA_OPTS");
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(n -> n.startsWith("csemu.") && !n.equals("csemu.shared") && !n.equals("csemu.root"))
                .sorted()
                .forEach(n -> cmd.add("-D" + n + "=" + System.getProperty(n)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(DaemonMain.class.getName());
        cmd.addAll(new DaemonOptions(options.dataDirectory(), options.port(), options.socket(),
                options.stopInstancesOnExit(), false).toArguments());
        return cmd;
    }
}
