package org.csemu.cli;

/**
 * The exit codes of every csemu command, documented in docs/cli.md. CI pipelines depend on them: change them only
 * with a note in the changelog.
 */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** The input is wrong: validation errors, a refused package, a refused operation. */
    public static final int INVALID = 1;
    /** The command line itself is wrong (unknown option, missing argument). */
    public static final int USAGE = 2;
    /** No csemu daemon runs on the data directory (start it with {@code csemu daemon start}). */
    public static final int NOT_RUNNING = 3;
    /** The daemon refused the API token (401), or the token file cannot be read. */
    public static final int UNAUTHORIZED = 4;
    /** The daemon or an operation did not answer or finish in time. */
    public static final int TIMEOUT = 5;
    /** The daemon failed: an internal error (5xx), an unreadable answer, a daemon that will not start or stop. */
    public static final int DAEMON_ERROR = 6;

    private ExitCodes() {
    }
}
