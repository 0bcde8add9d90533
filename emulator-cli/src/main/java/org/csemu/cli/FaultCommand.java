package org.csemu.cli;

import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.FaultKind;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code csemu fault <kind> <instance>}: inject a failure, to watch the fabric heal the way the cloud would. */
@Command(name = "fault", mixinStandardHelpOptions = true,
        description = {"Inject a fault into one instance (QA): the fabric's healing is then visible in `csemu events`.",
            "Kinds: host-failure (new hardware: fresh OS disk, local storage lost), guest-crash (a real guest",
            "kernel panic, visible in `csemu logs`) and kill-qemu (the QEMU process is killed): both are out of",
            "rotation at once and restarted on their disks; agent-hang (heartbeats stop: UnresponsiveRole, then",
            "recycled), pause (vCPUs paused), fail-next-boot (the next boot fails)."},
        footerHeading = "%nExamples:%n",
        footer = {"  csemu fault guest-crash WebRole1_IN_0", "  csemu fault kill-qemu WebRole1_IN_0", "  csemu fault host-failure WebRole1_IN_1 && csemu events --follow"})
public final class FaultCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<kind>",
            description = "host-failure, guest-crash, kill-qemu, agent-hang, pause or fail-next-boot.")
    String kind;

    @Parameters(index = "1", paramLabel = "<instance>", description = "The instance id, e.g. WebRole1_IN_0.")
    String instance;

    @Mixin
    DeploymentSelector deployment;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        try {
            FaultKind.fromWireName(kind);
        } catch (IllegalArgumentException e) {
            err().println("csemu: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        DeploymentView d = deployment.select(client);
        OperationView op = DaemonClient.convert(client.post(DeploymentSelector.path(d.id()) + "/instances/"
                + DeploymentSelector.encode(instance) + "/faults", Map.of("kind", kind)), OperationView.class);
        out().println("fault " + kind + " injected into " + instance + " (operation " + op.id() + ");"
                + " follow the healing with `csemu events --follow`");
        return ExitCodes.OK;
    }
}
