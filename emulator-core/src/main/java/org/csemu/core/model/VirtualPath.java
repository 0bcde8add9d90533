package org.csemu.core.model;

import java.util.List;

/** A VirtualDirectory or VirtualApplication inside a Site (recursive). */
public record VirtualPath(Kind kind, String name, String physicalDirectory, List<VirtualPath> children, SourceLocation location) {

    public enum Kind { DIRECTORY, APPLICATION }

    public VirtualPath {
        children = List.copyOf(children);
    }
}
