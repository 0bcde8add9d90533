package org.csemu.cli;

import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ApiReadiness;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.readiness.InstancesReady;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code csemu suspend|resume}: the classic Update Deployment Status (Suspended / Running) of a whole deployment;
 * {@code resume} also starts a deployment created with {@code csemu run --suspended}.
 */
public final class DeploymentStatusCommands {

    private DeploymentStatusCommands() {
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true,
            description = "Suspend a deployment: every instance leaves rotation and its VM stops"
                    + " (StoppedDeallocated); disks and VIP listeners are kept.",
            footerHeading = "%nExamples:%n", footer = {"  csemu suspend", "  csemu suspend -d hello-web"})
    public static final class Suspend extends ClientCommand {
        @Mixin
        DeploymentSelector deployment;

        @Mixin
        OperationWait wait;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            DeploymentView d = deployment.select(client);
            OperationView op = DaemonClient.convert(client.post(DeploymentSelector.path(d.id()) + "/suspend", null),
                    OperationView.class);
            wait.await(client, op, "suspend " + d.name(), out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a suspended deployment (or one created with run --suspended): every stopped"
                    + " instance starts and joins rotation when Ready; waits for Ready unless --no-wait.",
            footerHeading = "%nExamples:%n", footer = {"  csemu resume", "  csemu resume -d hello-web --timeout 5m"})
    public static final class Resume extends ClientCommand {
        @Mixin
        DeploymentSelector deployment;

        @Mixin
        OperationWait wait;

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            DeploymentView d = deployment.select(client);
            String path = DeploymentSelector.path(d.id());
            OperationView op = DaemonClient.convert(client.post(path + "/resume", null), OperationView.class);
            if (wait.await(client, op, "resume " + d.name(), out())) {
                DeploymentView[] last = {d};
                wait.awaitReady(d.name(), InstancesReady.of(() -> {
                    last[0] = client.get(path, DeploymentView.class);
                    return ApiReadiness.deployment(last[0]);
                }), out());
                Views.endpointLines(last[0]).forEach(out()::println);
                out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
