package org.csemu.cli.support;

import java.io.PrintWriter;
import java.time.Duration;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.fabric.api.OperationView;
import picocli.CommandLine.Option;

/** {@code --no-wait} and {@code --timeout} for commands that start an operation. */
public final class OperationWait {

    @Option(names = "--no-wait", description = "Return once the operation is accepted (prints its id).")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the operation (90s, 5m, 1h); exit 5 past it. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    /** Waits for the operation unless {@code --no-wait}, then says how it ended; failures throw (exit 1 or 5). */
    public void await(DaemonClient client, OperationView op, String what, PrintWriter out) throws DaemonClientException {
        if (noWait) {
            out.println(what + ": accepted (operation " + op.id() + ")");
            return;
        }
        OperationView done = client.awaitOperation(op.id(), timeout);
        out.println(what + ": " + done.status() + " (operation " + done.id() + ")");
    }
}
