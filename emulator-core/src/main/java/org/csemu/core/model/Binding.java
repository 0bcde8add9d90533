package org.csemu.core.model;

/** A Site binding to one of the role's input endpoints; hostHeader may be null. */
public record Binding(String name, String endpointName, String hostHeader, SourceLocation location) {
}
