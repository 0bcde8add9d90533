package org.csemu.core.validate;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.csemu.core.model.Protocol;
import java.util.stream.Collectors;

/**
 * The SDK plugin modules a role can import, with the settings and certificates each declares implicitly.
 *
 * <p>Sources: the module names documented for Imports (Diagnostics, RemoteAccess, RemoteForwarder; Connect in older
 * SDKs; Caching from SDK 1.7), and the settings real projects configure for them. Caching's log-level setting was
 * {@code Loglevel} in SDK 1.7 and {@code DiagnosticLevel} from SDK 1.8, so both are optional. The RemoteAccess module
 * also declares the {@code PasswordEncryption} certificate that encrypts the RDP password and the internal RDP endpoint
 * of each instance; RemoteForwarder declares the RDP input endpoint on VIP port 3389 that forwards to them.
 */
final class PluginModules {

    /** The RDP port: RemoteAccess listens on it in each instance, RemoteForwarder takes it on the VIP. */
    static final int RDP_PORT = 3389;

    private static final List<PluginModule> ALL = List.of(
            module("Diagnostics", List.of("ConnectionString"), List.of(), List.of(), List.of("DiagnosticStore"), List.of()),
            module("RemoteAccess", List.of("Enabled", "AccountUsername", "AccountEncryptedPassword", "AccountExpiration"),
                    List.of(), List.of("PasswordEncryption"), List.of(),
                    List.of(new PluginModule.Endpoint("Rdp", false, Protocol.TCP, RDP_PORT))),
            module("RemoteForwarder", List.of("Enabled"), List.of(), List.of(), List.of(),
                    List.of(new PluginModule.Endpoint("RdpInput", true, Protocol.TCP, RDP_PORT))),
            module("Connect", List.of("ActivationToken", "Refresh", "WaitForConnectivity", "Upgrade", "EnableDomainJoin",
                    "DomainFQDN", "DomainControllerFQDN", "DomainAccountName", "DomainPassword", "DomainOU", "DNSServers",
                    "Administrators", "DomainSiteName"), List.of(), List.of(), List.of(), List.of()),
            module("Caching", List.of("NamedCaches", "CacheSizePercentage", "ConfigStoreConnectionString"),
                    List.of("Loglevel", "DiagnosticLevel"), List.of(), List.of(), List.of()));

    private static final Map<String, PluginModule> BY_LOWER_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(m -> m.name().toLowerCase(Locale.ROOT), Function.identity()));

    private PluginModules() {
    }

    static List<PluginModule> all() {
        return ALL;
    }

    /** Module names are matched as the SDK matches them: exactly. */
    static Optional<PluginModule> byName(String moduleName) {
        return ALL.stream().filter(m -> m.name().equals(moduleName)).findFirst();
    }

    /** A known module whose name differs only in case, to suggest the right spelling. */
    static Optional<PluginModule> byNameIgnoringCase(String moduleName) {
        return Optional.ofNullable(moduleName == null ? null : BY_LOWER_NAME.get(moduleName.toLowerCase(Locale.ROOT)));
    }

    /** The known module whose name prefix a setting or certificate name carries, if any. */
    static Optional<PluginModule> owning(String name) {
        return ALL.stream().filter(m -> name.startsWith(m.namePrefix())).findFirst();
    }

    /** For messages: {@code Diagnostics, RemoteAccess, ...}. */
    static String knownNames() {
        return String.join(", ", ALL.stream().map(PluginModule::name).toList());
    }

    private static PluginModule module(String name, List<String> required, List<String> optional, List<String> certs,
            List<String> storage, List<PluginModule.Endpoint> endpoints) {
        Function<String, String> full = n -> PluginModule.prefixOf(name) + n;
        return new PluginModule(name, required.stream().map(full).toList(), optional.stream().map(full).toList(),
                certs.stream().map(full).toList(), storage, endpoints.stream()
                        .map(e -> new PluginModule.Endpoint(full.apply(e.name()), e.input(), e.protocol(), e.port())).toList());
    }
}
