package org.csemu.cli.client;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.csemu.cli.ExitCodes;
import org.csemu.fabric.daemon.ApiToken;
import org.csemu.fabric.daemon.DaemonInfo;
import org.csemu.fabric.daemon.DaemonInfoFile;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.daemon.DataDirectory;
import org.csemu.fabric.daemon.ProcessIdentity;

/**
 * Finds the daemon of a data directory: {@code daemon.json} says where it listens and which process it is (checked
 * against {@code /proc}, so a stale file is never trusted), {@code api.token} is the credential.
 */
public final class DaemonLocator {

    private DaemonLocator() {
    }

    /** The recorded daemon if the process that recorded it is still alive; empty otherwise. */
    public static Optional<DaemonInfo> runningDaemon(DataDirectory dir) throws DaemonClientException {
        Optional<DaemonInfo> info;
        try {
            info = DaemonInfoFile.read(dir.infoFile());
        } catch (IOException e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, e.getMessage(), e);
        }
        return info.filter(ProcessIdentity::isAlive);
    }

    /** A client for the running daemon, or exit 3 (not running) / 4 (token unreadable). */
    public static DaemonClient connect(DataDirectory dir) throws DaemonClientException {
        DaemonInfo info = runningDaemon(dir).orElseThrow(() -> notRunning(dir));
        return new DaemonClient(transportFor(info), readToken(dir));
    }

    public static HttpTransport transportFor(DaemonInfo info) {
        return info.socket() != null ? SocketTransport.unix(Path.of(info.socket())) : SocketTransport.tcp(info.port());
    }

    public static String readToken(DataDirectory dir) throws DaemonClientException {
        try {
            return ApiToken.read(dir.tokenFile());
        } catch (AccessDeniedException e) {
            throw new DaemonClientException(ExitCodes.UNAUTHORIZED, "cannot read the API token " + dir.tokenFile()
                    + " (permission denied); run as the user the daemon runs as", e);
        } catch (NoSuchFileException e) {
            throw new DaemonClientException(ExitCodes.UNAUTHORIZED, "the API token " + dir.tokenFile()
                    + " does not exist; is " + dir + " the daemon's data directory?", e);
        } catch (IOException e) {
            throw new DaemonClientException(ExitCodes.UNAUTHORIZED, "cannot read the API token " + dir.tokenFile()
                    + ": " + e.getMessage(), e);
        }
    }

    public static DaemonClientException notRunning(DataDirectory dir) {
        return new DaemonClientException(ExitCodes.NOT_RUNNING, "no csemu daemon is running on " + dir
                + "; start it with `csemu daemon start" + (dir.root().equals(DaemonScope.current().dataDir()) ? ""
                : " --data-dir " + dir) + "`");
    }
}
