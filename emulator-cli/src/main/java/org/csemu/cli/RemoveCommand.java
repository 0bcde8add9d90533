package org.csemu.cli;

import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code csemu remove}: delete a deployment with its VMs, disks and VIP listeners. */
@Command(name = "remove", aliases = "rm", mixinStandardHelpOptions = true,
        description = "Delete a deployment: every instance leaves rotation, is drained and deleted with its disks;"
                + " then its VIP listeners close.",
        footerHeading = "%nExamples:%n",
        footer = {"  csemu remove", "  csemu remove -d hello-web"})
public final class RemoveCommand extends ClientCommand {

    @Mixin
    DeploymentSelector deployment;

    @Mixin
    OperationWait wait;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        DeploymentView d = deployment.select(client);
        OperationView op = DaemonClient.convert(client.delete(DeploymentSelector.path(d.id())), OperationView.class);
        wait.await(client, op, "remove " + d.name(), out());
        return ExitCodes.OK;
    }
}
