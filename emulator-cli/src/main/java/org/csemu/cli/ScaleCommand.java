package org.csemu.cli;

import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ApiReadiness;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.readiness.InstancesReady;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code csemu scale <role> <count>}. */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Set a role's instance count. Scaling out adds the next ids (_IN_2 after _IN_1) on fresh disks;",
            "scaling in removes the highest ids, each out of rotation and drained first."},
        footerHeading = "%nExamples:%n",
        footer = {"  csemu scale WebRole1 3", "  csemu scale WebRole1 1 -d hello-web --no-wait"})
public final class ScaleCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<role>", description = "The role name.")
    String role;

    @Parameters(index = "1", paramLabel = "<count>", description = "The new instance count (0 or more).")
    int count;

    @Mixin
    DeploymentSelector deployment;

    @Mixin
    OperationWait wait;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        if (count < 0) {
            err().println("csemu: the instance count must be 0 or more, not " + count);
            return ExitCodes.USAGE;
        }
        DeploymentView d = deployment.select(client);
        OperationView op = DaemonClient.convert(client.post(DeploymentSelector.path(d.id()) + "/roles/"
                + DeploymentSelector.encode(role) + "/scale", Map.of("count", count)), OperationView.class);
        if (wait.await(client, op, "scale " + role + " to " + count, out()) && count > 0) {
            wait.awaitReady("role " + role, InstancesReady.of(() -> ApiReadiness.role(
                    client.get(DeploymentSelector.path(d.id()), DeploymentView.class), role, count)), out());
        }
        return ExitCodes.OK;
    }
}
