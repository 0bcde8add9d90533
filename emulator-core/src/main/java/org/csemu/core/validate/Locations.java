package org.csemu.core.validate;

import org.csemu.core.model.SourceLocation;

/** Formats a source location the way diagnostics print it, for cross-references inside messages. */
final class Locations {

    private Locations() {
    }

    static String format(SourceLocation location) {
        if (location == null) {
            return SourceLocation.UNKNOWN.file();
        }
        return location.file() + ":" + location.line() + ":" + location.column();
    }
}
