package org.csemu.cli;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.DurationConverter;
import org.csemu.fabric.api.DeploymentView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code csemu logs <instance> [--follow]}: the instance's serial console (kernel, guest agent, role output). */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print an instance's console log: kernel messages, the guest agent's progress, startup tasks.",
        footerHeading = "%nExamples:%n",
        footer = {"  csemu logs WebRole1_IN_0", "  csemu logs WebRole1_IN_1 --tail 50 --follow"})
public final class LogsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<instance>", description = "The instance id, e.g. WebRole1_IN_0.")
    String instance;

    @Mixin
    DeploymentSelector deployment;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", defaultValue = "0",
            description = "Only the last N lines (0: all). Default: ${DEFAULT-VALUE}.")
    int tail;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what the console writes, until Ctrl-C.")
    boolean follow;

    @Option(names = "--for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "With --follow: stop after this long (exit 0).")
    Duration followFor;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException, InterruptedException {
        DeploymentView d = deployment.select(client);
        String path = DeploymentSelector.path(d.id()) + "/instances/" + DeploymentSelector.encode(instance) + "/console";
        String first = client.getText(path + "?tail=" + Math.max(0, tail));
        out().print(first);
        out().flush();
        if (!follow) {
            return ExitCodes.OK;
        }
        String all = client.getText(path + "?tail=0");
        int printed = all.length();
        long deadline = followFor == null ? Long.MAX_VALUE : System.nanoTime() + followFor.toNanos();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(Math.min(1_000_000_000L, Math.max(1, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            all = client.getText(path + "?tail=0");
            if (all.length() < printed) {
                out().println("--- console restarted ---");
                printed = 0;
            }
            if (all.length() > printed) {
                out().print(all.substring(printed));
                out().flush();
                printed = all.length();
            }
        }
        return ExitCodes.OK;
    }
}
