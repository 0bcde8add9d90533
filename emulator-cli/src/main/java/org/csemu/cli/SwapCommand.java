package org.csemu.cli;

import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code csemu swap}: the classic VIP swap. The deployment and the one in the other slot of its service exchange
 * their VIPs (every input endpoint's port) and slots; with the other slot empty it moves there.
 */
@Command(name = "swap", mixinStandardHelpOptions = true,
        description = {
            "VIP swap: the deployment and the one in the other slot of its service exchange VIPs and slots, at once:",
            "new connections to the production VIP reach the other deployment from one instant on; connections in",
            "flight finish on the deployment they started on. Names stay. With the other slot empty, the",
            "deployment moves into it (on ports of its own). Refused while either deployment has an operation in",
            "progress, or when their input endpoints differ.",
        },
        footerHeading = "%nExamples:%n",
        footer = {"  csemu run samples/hello-web --name green --slot staging", "  csemu swap green"})
public final class SwapCommand extends ClientCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<deployment>",
            description = "Either deployment of the swap (name or id); default as for --deployment.")
    String named;

    @Mixin
    DeploymentSelector deployment;

    @Mixin
    OperationWait wait;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        DeploymentView d = named != null ? client.get(DeploymentSelector.path(named), DeploymentView.class)
                : deployment.select(client);
        OperationView op = DaemonClient.convert(client.post("/api/v1/deployments/swap",
                Map.of("deployment", d.id())), OperationView.class);
        if (wait.await(client, op, "swap " + op.target(), out())) {
            for (DeploymentView x : DeploymentSelector.list(client)) {
                if (op.target().contains(x.name() + " ")) {
                    out().println(x.name() + " (" + x.slot() + ")");
                    Views.endpointLines(x).forEach(line -> out().println("  " + line));
                }
            }
            out().flush();
        }
        return ExitCodes.OK;
    }
}
