package org.csemu.core.model;

import java.util.List;
import java.util.Optional;

/**
 * One role of the service definition. Settings declared implicitly by {@code Imports} modules are NOT folded into
 * {@link #settings()}; the validator expands them (see {@link ModuleImport}).
 *
 * @param vmSize       any string; default {@code "Small"}
 * @param localStorage LocalResources/LocalStorage plus the legacy role-level LocalStorage element
 * @param startupTasks in document order
 * @param runtime      empty when the role has no Runtime element
 * @param sites        web roles only; empty for a legacy HWC web role
 */
public record RoleDefinition(
        String name,
        RoleKind kind,
        String vmSize,
        boolean enableNativeCodeExecution,
        Endpoints endpoints,
        List<SettingDeclaration> settings,
        List<LocalStorage> localStorage,
        List<CertificateDeclaration> certificates,
        List<ModuleImport> imports,
        List<StartupTask> startupTasks,
        Optional<RoleRuntime> runtime,
        List<ContentMapping> contents,
        List<Site> sites,
        SourceLocation location) {

    public static final String DEFAULT_VM_SIZE = "Small";

    public RoleDefinition {
        settings = List.copyOf(settings);
        localStorage = List.copyOf(localStorage);
        certificates = List.copyOf(certificates);
        imports = List.copyOf(imports);
        startupTasks = List.copyOf(startupTasks);
        contents = List.copyOf(contents);
        sites = List.copyOf(sites);
    }

    public Optional<EntryPoint> entryPoint() {
        return runtime.flatMap(RoleRuntime::entryPoint);
    }
}
