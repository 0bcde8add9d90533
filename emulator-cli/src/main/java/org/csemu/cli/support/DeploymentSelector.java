package org.csemu.cli.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.fabric.api.DeploymentView;
import picocli.CommandLine.Option;

/**
 * {@code --deployment}: which deployment a command acts on. Without it, the only deployment; with several, the one in
 * the production slot when exactly one is there; otherwise the command asks for a name.
 */
public final class DeploymentSelector {

    @Option(names = {"-d", "--deployment"}, paramLabel = "NAME",
            description = "The deployment (name or id). Default: the only one, or the only one in the production slot.")
    String deployment;

    public DeploymentView select(DaemonClient client) throws DaemonClientException {
        if (deployment != null) {
            return client.get(path(deployment), DeploymentView.class);
        }
        List<DeploymentView> all = list(client);
        if (all.isEmpty()) {
            throw new DaemonClientException(ExitCodes.INVALID, "there is no deployment; create one with"
                    + " `csemu run <service-dir|package> [cscfg]`");
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        List<DeploymentView> production = all.stream().filter(d -> "Production".equals(d.slot())).toList();
        if (production.size() == 1) {
            return production.get(0);
        }
        throw new DaemonClientException(ExitCodes.INVALID, "there are " + all.size() + " deployments ("
                + String.join(", ", all.stream().map(DeploymentView::name).toList())
                + "); choose one with --deployment NAME");
    }

    public String explicit() {
        return deployment;
    }

    public static List<DeploymentView> list(DaemonClient client) throws DaemonClientException {
        return Arrays.asList(DaemonClient.convert(client.get("/api/v1/deployments"), DeploymentView[].class));
    }

    /** {@code /api/v1/deployments/<id>} with the id encoded. */
    public static String path(String deploymentId) {
        return "/api/v1/deployments/" + encode(deploymentId);
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
