package org.csemu.core.model;

/** Contents/Content: copy {@code sourceDirectory} (relative to the .csdef) to {@code destination} under approot. */
public record ContentMapping(String destination, String sourceDirectory, SourceLocation location) {
}
