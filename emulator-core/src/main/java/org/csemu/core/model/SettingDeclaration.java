package org.csemu.core.model;

/** A ConfigurationSettings/Setting declared by a role; its value comes only from the configuration. */
public record SettingDeclaration(String name, SourceLocation location) {
}
