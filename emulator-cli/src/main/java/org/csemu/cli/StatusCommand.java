package org.csemu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.List;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import org.csemu.cli.support.DeploymentSelector;
import org.csemu.cli.support.Views;
import org.csemu.fabric.api.DeploymentView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code csemu status} (alias {@code ps}): deployments, roles, instances, states, rotation, addresses. */
@Command(name = "status", aliases = "ps", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Show the deployments: endpoints on the VIP, and per role its instances with state, update"
                + " and fault domain, rotation and address. Ends with the dashboard's address.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  csemu status",
            "  csemu ps -d hello-web",
            "  csemu status --json | jq -r '.[0].endpoints[0].url'",
        })
public final class StatusCommand extends ClientCommand {

    @Option(names = {"-d", "--deployment"}, paramLabel = "NAME", description = "Only this deployment (name or id).")
    String deployment;

    @Option(names = "--json", description = "One JSON array: per deployment id, name, slot, status, vip, endpoints"
            + " (name, protocol, url, port, declaredPort) and instances (id, role, state, since, updateDomain,"
            + " faultDomain, inRotation, address, details).")
    boolean json;

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        List<DeploymentView> deployments = deployment != null
                ? List.of(client.get(DeploymentSelector.path(deployment), DeploymentView.class))
                : DeploymentSelector.list(client);
        if (json) {
            try {
                out().println(DaemonClient.JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(deployments.stream().map(Views::statusJson).toList()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return ExitCodes.OK;
        }
        if (deployments.isEmpty()) {
            out().println("no deployments; create one with `csemu run <service-dir|package> [cscfg]`");
        }
        for (DeploymentView d : deployments) {
            out().print(Views.status(d));
        }
        String dashboard = connection.dashboardUrl();
        if (dashboard != null) {
            out().println("dashboard: " + dashboard);
        }
        return ExitCodes.OK;
    }
}
