package org.csemu.cli.support;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the daemon: connects through {@code --data-dir}, runs, and turns every failure into its
 * documented exit code with a {@code csemu: ...} message (and the daemon's diagnostics) on stderr.
 */
public abstract class ClientCommand implements Callable<Integer> {

    @Spec
    protected CommandSpec spec;

    @Mixin
    protected DaemonConnection connection;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    @Override
    public final Integer call() throws Exception {
        try {
            int code = execute(connection.connect());
            out().flush();
            return code;
        } catch (DaemonClientException e) {
            out().flush();
            e.printTo(err());
            return e.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("csemu: interrupted");
            return ExitCodes.TIMEOUT;
        }
    }

    /** The command's work; returns its exit code. */
    protected abstract int execute(DaemonClient client) throws DaemonClientException, InterruptedException;
}
