package org.csemu.core.model;

/**
 * Where an element of the service model came from, so every later diagnostic (validation, deployment errors)
 * can point at file:line:col. Line and column are 1-based; 0 means unknown.
 */
public record SourceLocation(String file, int line, int column) {

    public static final SourceLocation UNKNOWN = new SourceLocation("<unknown>", 0, 0);

    public SourceLocation {
        file = file == null ? "<unknown>" : file;
    }
}
