package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.csemu.core.model.Binding;
import org.csemu.core.model.CertificateDeclaration;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LoadBalancerDistribution;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.NetworkConfiguration;
import org.csemu.core.model.PortRange;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.RoleRuntime;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.SettingDeclaration;
import org.csemu.core.model.Site;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.model.TrafficRule;

/**
 * Builds model records directly (no parser) for validator tests. Every element gets its own line in a fictitious
 * file, so a test can assert a diagnostic points at exactly the element at fault.
 */
final class Fixtures {

    static final String CSDEF = "ServiceDefinition.csdef";
    static final String CSCFG = "ServiceConfiguration.cscfg";
    private static final AtomicInteger LINES = new AtomicInteger(1);

    private Fixtures() {
    }

    static SourceLocation defAt() {
        return new SourceLocation(CSDEF, LINES.incrementAndGet(), 3);
    }

    static SourceLocation cfgAt() {
        return new SourceLocation(CSCFG, LINES.incrementAndGet(), 5);
    }

    /** A clean two-role service: a web role (http 80, one site, a setting, Diagnostics) and a worker role. */
    static Def cleanDefinition() {
        return new Def("svc")
                .role(webRole("Web").input("HttpIn", Protocol.HTTP, 80).site("Web", "HttpIn").setting("Storage")
                        .imports("Diagnostics"))
                .role(workerRole("Worker").internal("Peer", Protocol.TCP, 9000).setting("Storage")
                        .program("run.sh"));
    }

    /** The configuration that matches {@link #cleanDefinition()}. */
    static Cfg cleanConfiguration() {
        return new Cfg("svc")
                .role(new RoleCfg("Web").count(2).setting("Storage", "UseDevelopmentStorage=true")
                        .setting("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString", "UseDevelopmentStorage=true"))
                .role(new RoleCfg("Worker").count(1).setting("Storage", "UseDevelopmentStorage=true"));
    }

    static RoleDef webRole(String name) {
        return new RoleDef(name, RoleKind.WEB_ROLE);
    }

    static RoleDef workerRole(String name) {
        return new RoleDef(name, RoleKind.WORKER_ROLE);
    }

    static RoleDef vmRole(String name) {
        return new RoleDef(name, RoleKind.VIRTUAL_MACHINE_ROLE);
    }

    static InputEndpoint inputEndpoint(String name, Protocol protocol, int port) {
        return new InputEndpoint(name, protocol, port, port, null, false, null, null,
                InputEndpoint.DEFAULT_IDLE_TIMEOUT_MINUTES, LoadBalancerDistribution.FIVE_TUPLE, defAt());
    }

    static LoadBalancerProbe probe(String name, LoadBalancerProbe.ProbeProtocol protocol, String path, int interval,
            int timeout) {
        return new LoadBalancerProbe(name, protocol, path, 0, interval, timeout, defAt());
    }

    static EnvironmentVariable value(String name, String value) {
        return new EnvironmentVariable(name, value, null, defAt());
    }

    static EnvironmentVariable xpath(String name, String xpath) {
        return new EnvironmentVariable(name, null, xpath, defAt());
    }

    static final class Def {
        String name;
        int upgradeDomainCount = ServiceDefinition.DEFAULT_UPGRADE_DOMAIN_COUNT;
        String schemaVersion = "unspecified";
        final List<LoadBalancerProbe> probes = new ArrayList<>();
        final List<RoleDef> roles = new ArrayList<>();
        final List<TrafficRule> trafficRules = new ArrayList<>();
        final SourceLocation location = defAt();

        Def(String name) {
            this.name = name;
        }

        Def role(RoleDef role) {
            roles.add(role);
            return this;
        }

        RoleDef role(String roleName) {
            return roles.stream().filter(r -> r.name.equals(roleName)).findFirst().orElseThrow();
        }

        Def probe(LoadBalancerProbe probe) {
            probes.add(probe);
            return this;
        }

        Def trafficRule(TrafficRule rule) {
            trafficRules.add(rule);
            return this;
        }

        Def upgradeDomainCount(int count) {
            upgradeDomainCount = count;
            return this;
        }

        Def schemaVersion(String version) {
            schemaVersion = version;
            return this;
        }

        ServiceDefinition build() {
            return new ServiceDefinition(name, upgradeDomainCount, schemaVersion, TopologyChangeDiscovery.UPGRADE_DOMAIN_WALK,
                    probes, roles.stream().map(RoleDef::build).toList(), trafficRules, location);
        }
    }

    static final class RoleDef {
        final String name;
        final RoleKind kind;
        final List<InputEndpoint> input = new ArrayList<>();
        final List<InternalEndpoint> internal = new ArrayList<>();
        final List<InstanceInputEndpoint> instanceInput = new ArrayList<>();
        final List<SettingDeclaration> settings = new ArrayList<>();
        final List<LocalStorage> localStorage = new ArrayList<>();
        final List<CertificateDeclaration> certificates = new ArrayList<>();
        final List<ModuleImport> imports = new ArrayList<>();
        final List<StartupTask> tasks = new ArrayList<>();
        final List<EnvironmentVariable> runtimeEnv = new ArrayList<>();
        EntryPoint entryPoint;
        final List<Site> sites = new ArrayList<>();
        final SourceLocation location = defAt();

        RoleDef(String name, RoleKind kind) {
            this.name = name;
            this.kind = kind;
        }

        RoleDef input(String endpointName, Protocol protocol, int port) {
            return input(inputEndpoint(endpointName, protocol, port));
        }

        RoleDef input(InputEndpoint endpoint) {
            input.add(endpoint);
            return this;
        }

        RoleDef internal(String endpointName, Protocol protocol, int port) {
            internal.add(new InternalEndpoint(endpointName, protocol, port, List.of(), defAt()));
            return this;
        }

        RoleDef instanceInput(String endpointName, Protocol protocol, int localPort, int min, int max) {
            instanceInput.add(new InstanceInputEndpoint(endpointName, protocol, localPort, new PortRange(min, max), 0, defAt()));
            return this;
        }

        RoleDef instanceInput(InstanceInputEndpoint endpoint) {
            instanceInput.add(endpoint);
            return this;
        }

        RoleDef setting(String settingName) {
            settings.add(new SettingDeclaration(settingName, defAt()));
            return this;
        }

        RoleDef localStorage(String storageName) {
            localStorage.add(new LocalStorage(storageName, 100, true, defAt()));
            return this;
        }

        RoleDef certificate(String certName) {
            certificates.add(new CertificateDeclaration(certName, "LocalMachine", "My", "limitedOrElevated", defAt()));
            return this;
        }

        RoleDef imports(String moduleName) {
            imports.add(new ModuleImport(moduleName, defAt()));
            return this;
        }

        RoleDef task(String commandLine, EnvironmentVariable... env) {
            tasks.add(new StartupTask(commandLine, ExecutionContext.LIMITED, TaskType.SIMPLE, List.of(env), defAt()));
            return this;
        }

        RoleDef runtimeEnv(EnvironmentVariable... env) {
            runtimeEnv.addAll(List.of(env));
            return this;
        }

        RoleDef program(String commandLine) {
            entryPoint = new EntryPoint.Program(commandLine, true);
            return this;
        }

        RoleDef site(String siteName, String... boundEndpoints) {
            List<Binding> bindings = new ArrayList<>();
            for (String endpoint : boundEndpoints) {
                bindings.add(new Binding(endpoint, endpoint, null, defAt()));
            }
            sites.add(new Site(siteName, null, List.of(), bindings, defAt()));
            return this;
        }

        RoleDefinition build() {
            Optional<RoleRuntime> runtime = runtimeEnv.isEmpty() && entryPoint == null
                    ? Optional.empty()
                    : Optional.of(new RoleRuntime(ExecutionContext.LIMITED, runtimeEnv, Optional.ofNullable(entryPoint)));
            return new RoleDefinition(name, kind, RoleDefinition.DEFAULT_VM_SIZE, true,
                    new Endpoints(input, internal, instanceInput), settings, localStorage, certificates, imports, tasks,
                    runtime, List.of(), sites, location);
        }
    }

    static final class Cfg {
        String serviceName;
        String schemaVersion = "unspecified";
        final List<RoleCfg> roles = new ArrayList<>();
        NetworkConfiguration network;
        final SourceLocation location = cfgAt();

        Cfg(String serviceName) {
            this.serviceName = serviceName;
        }

        Cfg role(RoleCfg role) {
            roles.add(role);
            return this;
        }

        RoleCfg role(String roleName) {
            return roles.stream().filter(r -> r.name.equals(roleName)).findFirst().orElseThrow();
        }

        Cfg schemaVersion(String version) {
            schemaVersion = version;
            return this;
        }

        Cfg network(NetworkConfiguration networkConfiguration) {
            network = networkConfiguration;
            return this;
        }

        ServiceConfiguration build() {
            return new ServiceConfiguration(serviceName, "6", "*", schemaVersion, roles.stream().map(RoleCfg::build).toList(),
                    Optional.ofNullable(network), Optional.empty(), location);
        }
    }

    static final class RoleCfg {
        String name;
        String vmName;
        int count = 1;
        final List<RoleConfiguration.SettingValue> settings = new ArrayList<>();
        final List<RoleConfiguration.CertificateReference> certificates = new ArrayList<>();
        String osImage;
        final SourceLocation location = cfgAt();
        final SourceLocation instancesLocation = cfgAt();

        RoleCfg(String name) {
            this.name = name;
        }

        RoleCfg count(int instances) {
            count = instances;
            return this;
        }

        RoleCfg vmName(String prefix) {
            vmName = prefix;
            return this;
        }

        RoleCfg setting(String settingName, String value) {
            settings.add(new RoleConfiguration.SettingValue(settingName, value, cfgAt()));
            return this;
        }

        RoleCfg certificate(String certName, String thumbprint) {
            return certificate(certName, thumbprint, "sha1");
        }

        RoleCfg certificate(String certName, String thumbprint, String algorithm) {
            certificates.add(new RoleConfiguration.CertificateReference(certName, thumbprint, algorithm, cfgAt()));
            return this;
        }

        RoleCfg osImage(String href) {
            osImage = href;
            return this;
        }

        RoleConfiguration build() {
            return new RoleConfiguration(name, vmName, count, settings, certificates, osImage, location, instancesLocation);
        }
    }
}
