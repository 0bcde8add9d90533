package org.csemu.cli.client;

import java.io.PrintWriter;
import org.csemu.fabric.api.DiagnosticView;
import org.csemu.fabric.api.ErrorView;

/**
 * A request the CLI could not complete, with the exit code the command must return (see {@code ExitCodes}) and,
 * when the daemon answered, its JSON error.
 */
public final class DaemonClientException extends Exception {

    private final int exitCode;
    private final int httpStatus;
    private final ErrorView error;

    public DaemonClientException(int exitCode, String message) {
        this(exitCode, 0, null, message, null);
    }

    public DaemonClientException(int exitCode, String message, Throwable cause) {
        this(exitCode, 0, null, message, cause);
    }

    public DaemonClientException(int exitCode, int httpStatus, ErrorView error, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.httpStatus = httpStatus;
        this.error = error;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status the daemon answered, or 0 when it did not answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The daemon's error body, or {@code null}. */
    public ErrorView error() {
        return error;
    }

    /** {@code csemu: <message>} and one compiler-style line per diagnostic. */
    public void printTo(PrintWriter err) {
        err.println("csemu: " + getMessage());
        if (error != null) {
            for (DiagnosticView d : error.diagnostics()) {
                err.println(d.file() + ":" + d.line() + ":" + d.column() + ": " + d.severity() + " " + d.code() + " "
                        + d.message() + (d.fix() == null || d.fix().isBlank() ? "" : " (fix: " + d.fix() + ")"));
            }
        }
        err.flush();
    }
}
