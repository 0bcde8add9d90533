package org.csemu.cli;

import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.support.ClientCommand;
import picocli.CommandLine.Command;

/** {@code csemu dashboard}: the web dashboard's address, with the API token in the URL fragment. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Print the dashboard's address. The API token is in the fragment (#token=...), which a browser",
            "never sends to a server; the page keeps it in sessionStorage. Open it in a browser on this machine."},
        footerHeading = "%nExample:%n",
        footer = "  xdg-open \"$(csemu dashboard)\"")
public final class DashboardCommand extends ClientCommand {

    @Override
    protected int execute(DaemonClient client) throws DaemonClientException {
        client.get("/api/v1/daemon");
        String url = connection.dashboardUrl();
        if (url == null) {
            err().println("csemu: the daemon listens on a unix socket; the dashboard needs its TCP API (--port)");
            return ExitCodes.INVALID;
        }
        out().println(url);
        return ExitCodes.OK;
    }
}
