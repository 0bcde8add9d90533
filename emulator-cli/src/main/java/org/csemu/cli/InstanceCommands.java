package org.csemu.cli;

import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ApiReadiness;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.readiness.InstancesReady;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code csemu reboot|reimage|rebuild|stop|start <instance>}: one lifecycle operation on one role instance. */
public final class InstanceCommands {

    private InstanceCommands() {
    }

    /** The shared body: select the deployment, POST the action, wait for the operation. */
    abstract static class Action extends ClientCommand {
        @Parameters(index = "0", paramLabel = "<instance>", description = "The instance id, e.g. WebRole1_IN_0.")
        String instance;

        @Mixin
        DeploymentSelector deployment;

        @Mixin
        OperationWait wait;

        /** The command's name is the action's name in the API: {@code POST .../instances/<id>/<name>}. */
        private String action() {
            return spec.name();
        }

        @Override
        protected int execute(DaemonClient client) throws DaemonClientException {
            DeploymentView d = deployment.select(client);
            String path = DeploymentSelector.path(d.id()) + "/instances/" + DeploymentSelector.encode(instance);
            OperationView op = DaemonClient.convert(client.post(path + "/" + action(), null), OperationView.class);
            if (wait.await(client, op, action() + " " + instance, out()) && !action().equals("stop")) {
                wait.awaitReady(instance, InstancesReady.of(() -> ApiReadiness.instance(client.get(path, InstanceView.class))),
                        out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "reboot", mixinStandardHelpOptions = true,
            description = "Reboot an instance: out of rotation, the guest restarts; OS disk and local storage kept.",
            footerHeading = "%nExample:%n", footer = "  csemu reboot WebRole1_IN_0")
    public static final class Reboot extends Action {
    }

    @Command(name = "reimage", mixinStandardHelpOptions = true,
            description = "Reimage an instance: a fresh OS disk from the base image (first-boot setup again);"
                    + " local storage kept.",
            footerHeading = "%nExample:%n", footer = "  csemu reimage WebRole1_IN_1 --timeout 5m")
    public static final class Reimage extends Action {
    }

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Rebuild an instance: a fresh OS disk and fresh local storage.",
            footerHeading = "%nExample:%n", footer = "  csemu rebuild WebRole1_IN_0")
    public static final class Rebuild extends Action {
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop an instance's VM (StoppedVM, out of rotation); its disks are kept.",
            footerHeading = "%nExample:%n", footer = "  csemu stop WebRole1_IN_0")
    public static final class Stop extends Action {
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a stopped instance; it returns to rotation when Ready.",
            footerHeading = "%nExample:%n", footer = "  csemu start WebRole1_IN_0")
    public static final class Start extends Action {
    }
}
