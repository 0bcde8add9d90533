package org.csemu.cli.support;

import java.io.PrintWriter;
import java.time.Duration;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.DaemonClientException;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.readiness.InstancesReady;
import org.csemu.fabric.readiness.Ready.Status;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import picocli.CommandLine.Option;

/** {@code --no-wait} and {@code --timeout} for commands that start an operation. */
public final class OperationWait {

    @Option(names = "--no-wait", description = "Return once the operation is accepted (prints its id).")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait for the operation (90s, 5m, 1h); exit 5 past it. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    /** Waits for the operation unless {@code --no-wait}, then says how it ended; failures throw (exit 1 or 5). */
    public boolean await(DaemonClient client, OperationView op, String what, PrintWriter out) throws DaemonClientException {
        if (noWait) {
            out.println(what + ": accepted (operation " + op.id() + ")");
            out.flush();
            return false;
        }
        long started = System.nanoTime();
        OperationView done = client.awaitOperation(op.id(), timeout);
        out.println(what + ": " + done.status() + " (operation " + done.id() + ")");
        out.flush();
        spent = Duration.ofNanos(System.nanoTime() - started);
        return true;
    }

    private Duration spent = Duration.ZERO;

    /**
     * After the operation: waits (within what is left of {@code --timeout}) until {@code ready} holds; an instance
     * that failed to start fails at once (exit 1), the deadline with exit 5.
     */
    public void awaitReady(String what, InstancesReady ready, PrintWriter out) throws DaemonClientException {
        Duration left = timeout.minus(spent);
        Status status;
        try {
            status = ready.failingOnFailedStart().await(Deadline.after(left.isNegative() || left.isZero()
                    ? Duration.ofMillis(1) : left), Poller.every(Duration.ofMillis(500)));
        } catch (DaemonClientException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonClientException(ExitCodes.TIMEOUT, "interrupted");
        } catch (Exception e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, e.toString(), e);
        }
        if (status.isFailed()) {
            throw new DaemonClientException(ExitCodes.INVALID, what + " ended in " + status.detail());
        }
        if (!status.isReady()) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, what + " is " + status.detail() + ", not ReadyRole, after "
                    + timeout.toSeconds() + " s; it continues in the daemon (csemu status, csemu events)");
        }
        out.println(what + ": ReadyRole");
        out.flush();
    }
}
