package org.csemu.cli.support;

import java.nio.file.Path;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.cli.client.DaemonLocator;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DataDirectory;
import picocli.CommandLine.Option;

/** {@code --data-dir}: which daemon a command talks to (its {@code daemon.json} and {@code api.token}). */
public final class DaemonConnection {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "The daemon's data directory (default: $CSEMU_DATA_DIR, else /var/lib/csemu for root and"
                    + " $XDG_DATA_HOME/csemu, i.e. ~/.local/share/csemu, for any other user).")
    Path dataDir;

    public DataDirectory dataDirectory() {
        return DataDirectory.resolve(dataDir);
    }

    /** A client for the running daemon; exit 3 when none runs, 4 when the token cannot be read. */
    public DaemonClient connect() throws DaemonClientException {
        return DaemonLocator.connect(dataDirectory());
    }

    public DaemonInfo info() throws DaemonClientException {
        DataDirectory dir = dataDirectory();
        return DaemonLocator.runningDaemon(dir).orElseThrow(() -> DaemonLocator.notRunning(dir));
    }

    public String token() throws DaemonClientException {
        return DaemonLocator.readToken(dataDirectory());
    }

    /** The dashboard's address with the token in the fragment (never sent to the server), or null on a socket. */
    public String dashboardUrl() throws DaemonClientException {
        DaemonInfo info = info();
        if (info.port() == null) {
            return null;
        }
        return "http://127.0.0.1:" + info.port() + "/#token=" + token();
    }
}
