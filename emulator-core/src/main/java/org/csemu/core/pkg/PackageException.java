package org.csemu.core.pkg;

import java.util.List;
import org.csemu.core.diag.Diagnostic;

/**
 * A package could not be built or was refused. The message always says which file or entry, why, and what to do,
 * because the user usually cannot see inside the archive.
 */
public final class PackageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String reason;
    private final String fix;
    private final transient List<Diagnostic> diagnostics;

    /**
     * @param subject the package file, zip entry or source file at fault (may be null)
     * @param reason  what is wrong
     * @param fix     what the user should do (may be null)
     */
    public PackageException(String subject, String reason, String fix) {
        this(subject, reason, fix, null);
    }

    public PackageException(String subject, String reason, String fix, Throwable cause) {
        this(subject, reason, fix, cause, List.of());
    }

    /** A refusal caused by errors in the service definition; {@code diagnostics} carry their file:line:col. */
    public PackageException(String subject, String reason, String fix, Throwable cause, List<Diagnostic> diagnostics) {
        super(format(subject, reason, fix), cause);
        this.subject = subject;
        this.reason = reason;
        this.fix = fix;
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** The definition's diagnostics when it did not parse; empty otherwise. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    public String subject() {
        return subject;
    }

    public String reason() {
        return reason;
    }

    public String fix() {
        return fix;
    }

    private static String format(String subject, String reason, String fix) {
        StringBuilder sb = new StringBuilder();
        if (subject != null) {
            sb.append(subject).append(": ");
        }
        sb.append(reason);
        if (fix != null && !fix.isBlank()) {
            sb.append(" (fix: ").append(fix).append(')');
        }
        return sb.toString();
    }
}
