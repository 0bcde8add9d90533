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

    private ExitCodes() {
    }
}
