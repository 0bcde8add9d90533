package org.csemu.cli;

import java.util.List;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.FabricService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code csemu exec <instance> [--elevated] -- <command…>}: runs a command in the guest through its agent (no network
 * login), prints its output as it comes and exits with its exit code, as {@code docker exec} does.
 */
@Command(name = "exec", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a command in an instance's guest through the guest agent; print its output (stdout and",
                "stderr together) as it comes and exit with its exit code. It runs with sh -c in approot with the role",
                "environment, as the role's user unless --elevated (like a task's executionContext); stdin is empty",
                "unless -i (then this command's stdin, read to its end first, at most 64 KiB)."},
        footerHeading = "%nExamples:%n",
        footer = {"  csemu exec WebRole1_IN_0 -- cat /csemu/local/Data/state.txt",
                "  csemu exec -i WebRole1_IN_0 -- 'cat > /csemu/local/Data/state.txt' < state.txt",
                "  csemu exec WorkerRole1_IN_1 --elevated -- 'echo kept > /var/lib/marker; sync'"})
public final class ExecCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<instance>", description = "The instance id, e.g. WebRole1_IN_0.")
    String instance;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "<command>",
            description = "The command line (after --); several words are joined with spaces.")
    List<String> command;

    @Mixin
    DeploymentSelector deployment;

    @Option(names = "--elevated", description = "Run as root instead of the role's user.")
    boolean elevated;

    @Option(names = {"-i", "--stdin"}, description = "Pass this command's stdin to the guest command (read to its"
            + " end before the command starts; at most 64 KiB). Without it the command's stdin is empty.")
    boolean stdin;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        byte[] input = stdin ? readStdin() : new byte[0];
        DeploymentView d = deployment.select(client);
        String path = DeploymentSelector.path(d.id()) + "/instances/" + DeploymentSelector.encode(instance) + "/exec";
        int code = client.exec(path, String.join(" ", command), elevated, input, line -> {
            out().println(line);
            out().flush();
        });
        return code;
    }

    /** This command's stdin to its end, refused past the limit before anything reaches the daemon. */
    private static byte[] readStdin() throws DaemonClientException {
        int limit = FabricService.MAX_EXEC_STDIN_BYTES;
        try {
            byte[] input = System.in.readNBytes(limit + 1);
            if (input.length > limit) {
                throw new DaemonClientException(ExitCodes.USAGE, "stdin holds more than " + limit + " bytes; csemu"
                        + " exec -i takes at most that (for more, type it into csemu shell, or put the file in the"
                        + " package)", null);
            }
            return input;
        } catch (java.io.IOException e) {
            throw new DaemonClientException(ExitCodes.USAGE, "cannot read stdin: " + e.getMessage(), e);
        }
    }
}
