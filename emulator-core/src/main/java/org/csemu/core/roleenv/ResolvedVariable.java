package org.csemu.core.roleenv;

/** An environment variable with its final value; {@code xpath} is the RoleInstanceValue it came from, or null. */
public record ResolvedVariable(String name, String value, String xpath) {
}
