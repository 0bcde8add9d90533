package org.csemu.core.pkg;

/**
 * A package could not be built or was refused. The message always says which file or entry, why, and what to do,
 * because the user usually cannot see inside the archive.
 */
public final class PackageException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String subject;
    private final String reason;
    private final String fix;

    /**
     * @param subject the package file, zip entry or source file at fault (may be null)
     * @param reason  what is wrong
     * @param fix     what the user should do (may be null)
     */
    public PackageException(String subject, String reason, String fix) {
        this(subject, reason, fix, null);
    }

    public PackageException(String subject, String reason, String fix, Throwable cause) {
        super(format(subject, reason, fix), cause);
        this.subject = subject;
        this.reason = reason;
        this.fix = fix;
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
