package org.csemu.core.diag;

import java.util.Objects;

/**
 * One finding about a service model file, precise enough for an editor to jump to it.
 *
 * <p>{@code code} is stable across releases (e.g. {@code CSDEF012}) so that CI pipelines can match on it;
 * {@code fix} tells the user what to do and may be {@code null} when there is nothing better to say than the
 * message. Line and column are 1-based; 0 means unknown.
 */
public record Diagnostic(String file, int line, int column, Severity severity, String code, String message, String fix) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        file = file == null ? "<unknown>" : file;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The compiler-style line: {@code path:line:col: severity CODE message (fix: ...)}. */
    public String format() {
        StringBuilder sb = new StringBuilder()
                .append(file).append(':').append(line).append(':').append(column).append(": ")
                .append(severity.label()).append(' ').append(code).append(' ').append(message);
        if (fix != null && !fix.isBlank()) {
            sb.append(" (fix: ").append(fix).append(')');
        }
        return sb.toString();
    }
}
