package org.csemu.cli.support;

import java.io.PrintWriter;
import java.time.Duration;
import org.csemu.cli.ExitCodes;
import org.csemu.cli.client.DaemonClient;
import org.csemu.cli.client.Polling;
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
     * After the operation: waits (within what is left of {@code --timeout}) until the check says Ready; a state
     * named {@code Failed...} fails at once (exit 1), the deadline with exit 5.
     */
    public void awaitReady(String what, ReadyCheck check, PrintWriter out) throws DaemonClientException {
        Duration left = timeout.minus(spent);
        String[] state = {""};
        boolean ready;
        try {
            ready = Polling.until(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left, Duration.ofMillis(500),
                    () -> {
                        state[0] = check.state();
                        if (state[0].startsWith("Failed")) {
                            throw new DaemonClientException(ExitCodes.INVALID, what + " ended in " + state[0]);
                        }
                        return state[0].equals("ReadyRole");
                    });
        } catch (DaemonClientException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DaemonClientException(ExitCodes.TIMEOUT, "interrupted");
        } catch (Exception e) {
            throw new DaemonClientException(ExitCodes.DAEMON_ERROR, e.toString(), e);
        }
        if (!ready) {
            throw new DaemonClientException(ExitCodes.TIMEOUT, what + " is " + state[0] + ", not ReadyRole, after "
                    + timeout.toSeconds() + " s; it continues in the daemon (csemu status, csemu events)");
        }
        out.println(what + ": ReadyRole");
        out.flush();
    }

    /** The current state to wait on ({@code ReadyRole} when every instance concerned is Ready). */
    @FunctionalInterface
    public interface ReadyCheck {
        String state() throws DaemonClientException;
    }
}
