package org.csemu.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.OperationWait;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code csemu update <cscfg>}: a new service configuration for a running deployment, applied in place. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Apply a new service configuration to a running deployment in place (the classic Change",
            "Deployment Configuration; --mode auto, manual or simultaneous). It is validated against the",
            "deployment's definition first; instances not walked yet keep the old configuration, even across a reboot.",
            "Instances/@count scales the role; changed settings walk the upgrade domains: each instance gets",
            "Changing (its role may cancel: it is then recycled) and Changed, without a restart; a certificate",
            "change recycles each instance, a new OsImage reimages it onto the new image; changed endpoint ACLs",
            "apply to the VIP at once, no instance touched. Adding or removing a role is refused (exit 1):",
            "deploy anew."},
        footerHeading = "%nExample:%n",
        footer = "  csemu update samples/hello-web/ServiceConfiguration.cscfg")
public final class UpdateCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "<cscfg>", description = "The new service configuration.")
    Path cscfg;

    @picocli.CommandLine.Option(names = "--mode", paramLabel = "auto|manual|simultaneous", defaultValue = "auto",
            description = "How the upgrade domains are walked (default: ${DEFAULT-VALUE}); manual waits for "
                    + "`csemu walk <ud>` before each domain.")
    String mode;

    @Mixin
    DeploymentSelector deployment;

    @Mixin
    OperationWait wait;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        Path file = cscfg.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            err().println("csemu: no service configuration at " + file);
            return ExitCodes.INVALID;
        }
        DeploymentView d = deployment.select(client);
        OperationView op = DaemonClient.convert(client.put(DeploymentSelector.path(d.id()) + "/configuration",
                Map.of("configuration", file.toString(), "mode", mode)), OperationView.class);
        if (mode.equalsIgnoreCase("manual") && op.kind().equals("ChangeConfiguration")) {
            out().println("update " + d.name() + " accepted (" + op.id() + "), Manual mode: walk each upgrade domain "
                    + "with `csemu walk <ud> --deployment " + d.name() + "`, starting with 0");
            out().flush();
            return ExitCodes.OK;
        }
        wait.await(client, op, "update " + d.name(), out());
        return ExitCodes.OK;
    }
}
