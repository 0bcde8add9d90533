package org.csemu.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run behind the launcher's class-data-sharing archive ({@code src/main/scripts/cds-archive.sh}): runs,
 * in one JVM started with {@code -XX:DumpLoadedClassList}, the short commands whose start-up the archive is for, so
 * that the list holds the classes they load. Nothing it does is kept: output is discarded and the daemon it is
 * pointed at is a {@code daemon.json} naming a closed port (the client path is taken up to the refused connection).
 *
 * <p>Arguments: the fake daemon's data directory, then a service definition and configuration to validate.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) {
        String dataDir = args[0];
        String csdef = args[1];
        String cscfg = args[2];
        List<String[]> commandLines = List.of(
                new String[] {"--help"},
                new String[] {"--version"},
                new String[] {"status", "--data-dir", dataDir},
                new String[] {"status", "--json", "--data-dir", dataDir},
                new String[] {"events", "--data-dir", dataDir},
                new String[] {"logs", "WebRole1_IN_0", "--data-dir", dataDir},
                new String[] {"reimage", "WebRole1_IN_0", "--no-wait", "--data-dir", dataDir},
                new String[] {"reboot", "WebRole1_IN_0", "--no-wait", "--data-dir", dataDir},
                new String[] {"validate", csdef, cscfg},
                new String[] {"validate", "--json", csdef, cscfg});
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream(), true);
        for (String[] commandLine : commandLines) {
            CommandLine cl = Main.newCommandLine(commandLine);
            cl.setOut(discard);
            cl.setErr(discard);
            cl.execute(commandLine);
        }
    }
}
