package org.csemu.fabric.service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.core.model.Binding;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.validate.LinuxGuest;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.Site;
import org.csemu.core.model.StartupTask;
import org.csemu.core.roleenv.EnvironmentResolutionException;
import org.csemu.core.roleenv.EnvironmentResolver;
import org.csemu.core.roleenv.RoleEnvironmentDocument;
import org.csemu.core.roleenv.RoleEnvironmentFactory;
import org.csemu.core.topology.InstancePlacement;
import org.csemu.core.topology.RoleTopology;
import org.csemu.core.topology.ServiceTopology;
import org.csemu.core.topology.TopologyPlanner;
import org.csemu.fabric.certificates.GuestCertificates;
import org.csemu.fabric.certificates.Thumbprint;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.vm.PortForward;

/**
 * Turns a deployment's service, its current instances and their allocated addresses into the {@link InstancePlan}
 * of one instance: forwards of every endpoint, and the config drive (role environment with peers reached via
 * 10.0.2.2, resolved task and runtime environments, settings, local resources, sites, the role's files and the
 * certificates its configuration names).
 */
public final class InstanceBlueprints {
    /** Everything the plan needs besides the model. */
    public record Settings(Path dataDir, String fabricId, int vcpus, int memoryMiB, int heartbeatSeconds,
                           InstancePlan.Timeouts timeouts) {
    }

    private final Settings settings;
    private final NetworkAllocator network;
    private final GuestCertificates certificates;
    private final GateSecrets gateSecrets;

    public InstanceBlueprints(Settings settings, NetworkAllocator network, GuestCertificates certificates) {
        this.settings = settings;
        this.network = network;
        this.certificates = certificates;
        this.gateSecrets = new GateSecrets(settings.dataDir());
    }

    /** Allocate the addresses of every instance of the deployment (peers must be known to each role environment). */
    public void allocate(LoadedService service, DeploymentRecord deployment) {
        for (InstanceRecord i : deployment.instances()) {
            RoleDefinition role = role(service, i.role());
            network.ensure(deployment.id(), i.id(), role, ProbeForwards.of(service.definition(), role),
                    TrafficGates.reservedGuestPorts(service.definition()));
        }
    }

    public InstancePlan plan(LoadedService service, DeploymentRecord deployment, InstanceSpec spec, Image image) {
        allocate(service, deployment);
        RoleDefinition role = role(service, spec.ref().roleName());
        String instanceId = spec.ref().instanceId();
        InstanceNetwork net = network.instance(deployment.id(), instanceId).orElseThrow();
        ServiceTopology topology = topology(service, deployment);
        RoleEnvironmentDocument doc = RoleEnvironmentDocument.generate(RoleEnvironmentFactory.forInstance(
                deployment.id(), service.definition(), service.configuration(), topology, instanceId,
                network.endpointPorts(deployment.id())));
        EnvironmentResolver resolver = new EnvironmentResolver(doc, instanceId);
        List<ConfigDriveInput.Task> tasks = new ArrayList<>();
        Map<String, String> runtimeEnv;
        try {
            for (int t = 0; t < role.startupTasks().size(); t++) {
                StartupTask task = role.startupTasks().get(t);
                tasks.add(new ConfigDriveInput.Task(task.commandLine(), task.taskType(), task.executionContext(),
                        EnvironmentResolver.asMap(resolver.resolveStartupTask(role, t))));
            }
            runtimeEnv = EnvironmentResolver.asMap(resolver.resolveRuntime(role));
        } catch (EnvironmentResolutionException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        InstancePlacement self = topology.instance(instanceId).orElseThrow();
        RoleConfiguration cfg = service.configuration().role(role.name()).orElseThrow();
        ConfigDriveInput drive = new ConfigDriveInput(
                new ConfigDriveInput.Identity(deployment.id(), instanceId, role.name(), self.updateDomain(),
                        self.faultDomain(), "r" + spec.recycleGeneration(), settings.heartbeatSeconds()),
                AnswerFile.computerName(instanceId),
                cfg.settings().stream().map(s -> new ConfigDriveInput.Setting(s.name(), s.value())).toList(),
                AnswerFile.users(role, cfg), AnswerFile.files(),
                role.localStorage().stream().map(InstanceBlueprints::resource).toList(),
                tasks, entry(role).withNotRunnable(notRunnable(service, role)), runtimeEnv, sites(service, role, cfg, net),
                doc.toBytes(),
                existing(service.appRoot(role.name())),
                certificates.forRole(service.definition().name(), role, cfg),
                TrafficGates.of(service.definition(), deployment, instanceId, role, network, gateSecrets));
        return new InstancePlan(settings.dataDir(), settings.fabricId(), deployment.id(), role.name(), instanceId,
                image, net.address(), endpoints(role, net), drive, settings.vcpus(), settings.memoryMiB(),
                settings.timeouts());
    }

    /** The topology as the deployment stands now (scale changes included). */
    public static ServiceTopology topology(LoadedService service, DeploymentRecord deployment) {
        List<RoleTopology> roles = new ArrayList<>();
        for (RoleDefinition r : service.definition().roles()) {
            List<InstancePlacement> placements = deployment.instances().stream().filter(i -> i.role().equals(r.name()))
                    .sorted(Comparator.comparingInt(InstanceRecord::index))
                    .map(i -> new InstancePlacement(i.id(), i.role(), i.index(), i.updateDomain(), i.faultDomain()))
                    .toList();
            int next = placements.stream().mapToInt(InstancePlacement::index).max().orElse(-1) + 1;
            roles.add(new RoleTopology(r.name(), placements, next));
        }
        return new ServiceTopology(service.definition().name(), deployment.upgradeDomainCount(),
                TopologyPlanner.DEFAULT_FAULT_DOMAIN_COUNT, roles);
    }

    static RoleDefinition role(LoadedService service, String roleName) {
        return service.definition().role(roleName).orElseThrow(() -> new IllegalStateException(
                "role '" + roleName + "' is not in the deployed definition"));
    }

    private static ConfigDriveInput.LocalResource resource(LocalStorage ls) {
        // nothing is wiped unless a boot's disk plan says so (VmInstanceRuntime applies DiskPlan.wipedResources)
        return new ConfigDriveInput.LocalResource(ls.name(), ls.sizeInMB(), false);
    }

    /** Why the role cannot run in a Linux guest ({@link LinuxGuest}, decided here for the agent), or null. */
    private static String notRunnable(LoadedService service, RoleDefinition role) {
        Path appRoot = service.appRoot(role.name());
        return LinuxGuest.whyNotRunnable(role, relative -> appRoot != null && !relative.startsWith("/")
                && !relative.contains("..") && Files.isRegularFile(appRoot.resolve(relative))).orElse(null);
    }

    private static ConfigDriveInput.Entry entry(RoleDefinition role) {
        return role.entryPoint().map(e -> {
            if (e instanceof EntryPoint.Program p) {
                return new ConfigDriveInput.Entry(ConfigDriveInput.Entry.Kind.PROGRAM, p.commandLine(),
                        p.setReadyOnProcessStart());
            }
            if (e instanceof EntryPoint.NetFx n) {
                return new ConfigDriveInput.Entry(ConfigDriveInput.Entry.Kind.NETFX, n.assemblyName(), true);
            }
            return ConfigDriveInput.Entry.none();
        }).orElse(ConfigDriveInput.Entry.none());
    }

    /**
     * The role's sites: each binding's local port, and for a binding to an https endpoint the thumbprint its
     * configuration gives the endpoint's certificate (the guest terminates TLS with it).
     */
    private static List<ConfigDriveInput.SiteContent> sites(LoadedService service, RoleDefinition role,
                                                            RoleConfiguration cfg, InstanceNetwork net) {
        List<ConfigDriveInput.SiteContent> out = new ArrayList<>();
        for (int n = 0; n < role.sites().size(); n++) {
            Site site = role.sites().get(n);
            List<Integer> ports = new ArrayList<>();
            Map<Integer, String> https = new LinkedHashMap<>();
            for (Binding b : site.bindings()) {
                Integer p = net.localPorts().get(b.endpointName());
                if (p != null && !ports.contains(p)) {
                    ports.add(p);
                    httpsThumbprint(role, cfg, b.endpointName()).ifPresent(t -> https.put(p, t));
                }
            }
            out.add(new ConfigDriveInput.SiteContent(site.name(), ports, existing(service.siteRoot(role.name(), n)),
                    https));
        }
        return out;
    }

    private static Optional<String> httpsThumbprint(RoleDefinition role, RoleConfiguration cfg, String endpoint) {
        return role.endpoints().input().stream()
                .filter(e -> e.name().equals(endpoint) && e.protocol() == Protocol.HTTPS && e.certificate() != null)
                .findFirst()
                .flatMap(e -> cfg.certificates().stream().filter(c -> c.name().equals(e.certificate())).findFirst())
                .map(c -> Thumbprint.parse(c.thumbprint()).hex());
    }

    private static List<InstancePlan.Endpoint> endpoints(RoleDefinition role, InstanceNetwork net) {
        List<InstancePlan.Endpoint> out = new ArrayList<>();
        for (InputEndpoint e : role.endpoints().input()) {
            out.add(new InstancePlan.Endpoint(e.name(), protocol(e.protocol()), net.localPorts().get(e.name()),
                    net.hostPorts().get(e.name()), null));
        }
        for (InternalEndpoint e : role.endpoints().internal()) {
            for (String name : InternalPorts.forwardNames(e)) { // every port of a FixedPortRange
                if (net.localPorts().containsKey(name)) { // absent in an allocation made before ranges were forwarded
                    // a TCP port's forwards lead to its traffic gate, which listens on the peer port number
                    Integer peer = net.peerPorts().get(name);
                    int guest = e.protocol() != Protocol.UDP && peer != null ? peer : net.localPorts().get(name);
                    out.add(new InstancePlan.Endpoint(name, protocol(e.protocol()), guest, net.hostPorts().get(name),
                            peer));
                }
            }
        }
        for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
            out.add(new InstancePlan.Endpoint(e.name(), protocol(e.protocol()), net.localPorts().get(e.name()),
                    net.hostPorts().get(e.name()), null));
        }
        // probes on a port of their own are forwarded like an endpoint (tcp: an http probe is tcp too)
        net.localPorts().forEach((name, guest) -> {
            if (ProbeForwards.isProbe(name)) {
                out.add(new InstancePlan.Endpoint(name, PortForward.Protocol.TCP, guest, net.hostPorts().get(name), null));
            }
        });
        return out;
    }

    static PortForward.Protocol protocol(Protocol p) {
        return p == Protocol.UDP ? PortForward.Protocol.UDP : PortForward.Protocol.TCP;
    }

    private static Path existing(Path dir) {
        return Files.isDirectory(dir) ? dir : null;
    }

    /** Settings as a map, for diagnostics. */
    static Map<String, String> describe(InstanceNetwork n) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("address", n.address());
        n.hostPorts().forEach((k, v) -> m.put(k, n.address() + ":" + v));
        return m;
    }
}
