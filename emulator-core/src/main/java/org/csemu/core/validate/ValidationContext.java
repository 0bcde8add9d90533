package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SettingDeclaration;

/**
 * What rules look at: the two models, the limits, and the views several rules share (a role's settings including
 * those its module imports declare), computed once per validation.
 */
final class ValidationContext {

    private final ServiceDefinition definition;
    private final ServiceConfiguration configuration;
    private final ValidationLimits limits;
    private final Map<RoleDefinition, List<DeclaredName>> settings = new IdentityHashMap<>();
    private final Map<RoleDefinition, List<DeclaredName>> certificates = new IdentityHashMap<>();

    ValidationContext(ServiceDefinition definition, ServiceConfiguration configuration, ValidationLimits limits) {
        this.definition = definition;
        this.configuration = configuration;
        this.limits = limits;
    }

    ServiceDefinition definition() {
        return definition;
    }

    Optional<ServiceConfiguration> configuration() {
        return Optional.ofNullable(configuration);
    }

    /** The configuration; only {@link RuleScope#CONFIGURATION} and {@link RuleScope#SERVICE} rules may call it. */
    ServiceConfiguration config() {
        if (configuration == null) {
            throw new IllegalStateException("a definition-only validation has no configuration");
        }
        return configuration;
    }

    ValidationLimits limits() {
        return limits;
    }

    /** A role both documents name: what the definition declares beside what the configuration gives. */
    record RoleInBoth(RoleDefinition definition, RoleConfiguration configuration) {
    }

    /**
     * The configuration's roles the definition declares, in configuration order (a role configured twice comes
     * twice); the others are {@link UnknownRoleRule}'s.
     */
    List<RoleInBoth> configuredRolesInBoth() {
        List<RoleInBoth> both = new ArrayList<>();
        for (RoleConfiguration cfg : config().roles()) {
            definition.role(cfg.name()).ifPresent(role -> both.add(new RoleInBoth(role, cfg)));
        }
        return both;
    }

    /**
     * The definition's roles the configuration gives, in definition order, each with its first configuration; the
     * others are {@link RoleNotConfiguredRule}'s.
     */
    List<RoleInBoth> definedRolesInBoth() {
        List<RoleInBoth> both = new ArrayList<>();
        for (RoleDefinition role : definition.roles()) {
            config().role(role.name()).ifPresent(cfg -> both.add(new RoleInBoth(role, cfg)));
        }
        return both;
    }

    /** The known modules the role imports, once each, in document order. */
    List<PluginModule> importedModules(RoleDefinition role) {
        Set<PluginModule> modules = new LinkedHashSet<>();
        for (ModuleImport imp : role.imports()) {
            PluginModules.byName(imp.moduleName()).ifPresent(modules::add);
        }
        return List.copyOf(modules);
    }

    /** Imports of modules csemu does not know: whatever they declare cannot be checked. */
    List<ModuleImport> unknownImports(RoleDefinition role) {
        return role.imports().stream().filter(i -> PluginModules.byName(i.moduleName()).isEmpty()).toList();
    }

    /** Explicit setting declarations, then those of the imported modules (first import of a module wins). */
    List<DeclaredName> declaredSettings(RoleDefinition role) {
        return settings.computeIfAbsent(role, r -> {
            List<DeclaredName> names = new ArrayList<>();
            for (SettingDeclaration s : r.settings()) {
                names.add(new DeclaredName(s.name(), s.location(), null, true));
            }
            for (ModuleImport imp : firstImportPerModule(r)) {
                PluginModule m = PluginModules.byName(imp.moduleName()).orElseThrow();
                m.requiredSettings().forEach(n -> names.add(new DeclaredName(n, imp.location(), m.name(), true)));
                m.optionalSettings().forEach(n -> names.add(new DeclaredName(n, imp.location(), m.name(), false)));
            }
            return List.copyOf(names);
        });
    }

    /** Explicit certificate declarations, then those of the imported modules. */
    List<DeclaredName> declaredCertificates(RoleDefinition role) {
        return certificates.computeIfAbsent(role, r -> {
            List<DeclaredName> names = new ArrayList<>();
            for (CertificateDeclaration c : r.certificates()) {
                names.add(new DeclaredName(c.name(), c.location(), null, true));
            }
            for (ModuleImport imp : firstImportPerModule(r)) {
                PluginModule m = PluginModules.byName(imp.moduleName()).orElseThrow();
                m.certificates().forEach(n -> names.add(new DeclaredName(n, imp.location(), m.name(), true)));
            }
            return List.copyOf(names);
        });
    }

    /** Local resource names, including those the imported modules declare. */
    Set<String> localStorageNames(RoleDefinition role) {
        Set<String> names = new LinkedHashSet<>();
        role.localStorage().stream().map(LocalStorage::name).forEach(names::add);
        importedModules(role).forEach(m -> names.addAll(m.localStorage()));
        return names;
    }

    /** True when the name carries the prefix of a module the role imports but csemu does not know. */
    boolean fromUnknownImportedModule(RoleDefinition role, String name) {
        return unknownImports(role).stream().anyMatch(i -> name.startsWith(PluginModule.prefixOf(i.moduleName())));
    }

    private static List<ModuleImport> firstImportPerModule(RoleDefinition role) {
        Set<String> seen = new LinkedHashSet<>();
        List<ModuleImport> first = new ArrayList<>();
        for (ModuleImport imp : role.imports()) {
            if (PluginModules.byName(imp.moduleName()).isPresent() && seen.add(imp.moduleName())) {
                first.add(imp);
            }
        }
        return first;
    }
}
