package org.csemu.core.model;

/**
 * An Environment/Variable: either a literal {@code value} or a {@code RoleInstanceValue@xpath} evaluated against
 * the instance's role-environment document. Exactly one of the two is non-null.
 */
public record EnvironmentVariable(String name, String value, String roleInstanceValueXPath, SourceLocation location) {

    public boolean isRoleInstanceValue() {
        return roleInstanceValueXPath != null;
    }
}
