package org.csemu.core.model;

/**
 * An {@code Imports/Import@moduleName}. Modules such as Diagnostics or RemoteAccess declare settings implicitly,
 * named {@code Microsoft.WindowsAzure.Plugins.<module>.<setting>}.
 */
public record ModuleImport(String moduleName, SourceLocation location) {
}
