package org.csemu.fabric.disk;

import java.util.regex.Pattern;

/**
 * Shell quoting for the config drive's {@code .env}/{@code .vars} files, which the guest agent sources with
 * {@code .}: every value is single-quoted and a {@code '} becomes {@code '\''}, so no character (including
 * {@code $}, backquotes, spaces and newlines) is interpreted by the guest's shell.
 */
public final class ShellQuote {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ShellQuote() {
    }

    public static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a NUL character cannot be passed through a shell variable");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** One {@code NAME='value'} line, newline-terminated. */
    public static String assignment(String name, String value) {
        if (!isValidName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a valid environment variable name for the guest's"
                    + " shell: use letters, digits and '_', not starting with a digit");
        }
        return name + "=" + quote(value) + "\n";
    }

    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
