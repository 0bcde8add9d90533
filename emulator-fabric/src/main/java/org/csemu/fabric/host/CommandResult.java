package org.csemu.fabric.host;

/**
 * What a finished (or timed-out) subprocess left behind. Host checks read tools' output rather than linking to
 * them, so the doctor works even when the native libvirt library is the thing that is missing.
 */
public record CommandResult(int exitCode, String stdout, String stderr, boolean timedOut) {

    /** The result used when the program could not be started at all (not installed, not executable). */
    public static CommandResult notStarted(String reason) {
        return new CommandResult(-1, "", reason, false);
    }

    public boolean succeeded() {
        return exitCode == 0 && !timedOut;
    }

    /** The first non-blank line of stderr, else of stdout: the part worth showing a user. */
    public String firstMessageLine() {
        for (String text : new String[] {stderr, stdout}) {
            for (String line : text.split("\\R")) {
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        }
        return timedOut ? "timed out" : "exit code " + exitCode;
    }
}
