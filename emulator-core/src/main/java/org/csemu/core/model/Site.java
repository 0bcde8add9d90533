package org.csemu.core.model;

import java.util.List;

/**
 * A web role Site; deployed to {@code sitesroot/<index>} in document order.
 *
 * @param physicalDirectory relative to the .csdef; null when absent
 * @param children          nested VirtualDirectory and VirtualApplication elements
 */
public record Site(String name, String physicalDirectory, List<VirtualPath> children, List<Binding> bindings, SourceLocation location) {

    public Site {
        children = List.copyOf(children);
        bindings = List.copyOf(bindings);
    }
}
