package org.csemu.fabric.runtime;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.InstancePlanner;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageException;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.VipSwapper;
import org.csemu.fabric.service.InstanceBlueprints;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ProbeForwards;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.lb.AccessControlList;
import org.csemu.lb.BoundListener;
import org.csemu.lb.Distribution;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.PortRequest;
import org.csemu.lb.ProbeSpec;
import org.csemu.lb.LoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins a deployment record (passed in by its owner, never read back from the controller) to what lives outside its
 * VMs: the stored service, the VIP listeners of its input endpoints (bound once, on the port they had before a
 * restart, else the declared one or the next free), every instance's addresses, its LB backends, and the image of
 * each role. {@link #attach} is called by one owner ({@code ServiceDeployments}) when the deployment's instance set
 * changes; {@link #plan} is the controller's {@link InstancePlanner} and touches no LB state.
 */
public final class DeploymentResources implements InstancePlanner, VipSwapper {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentResources.class);
    /** Listeners that hold a port for a swap's moving deployment until it takes it. */
    static final String HOLD_PREFIX = "swap-hold/";

    private final ServiceStore services;
    private final NetworkAllocator network;
    private final InstanceBlueprints blueprints;
    private final VipRotation rotation;
    private final ImageRepository images;
    private final String defaultImage;
    private final String vipAddress;
    private final Set<String> attached = new HashSet<>();

    public DeploymentResources(ServiceStore services, NetworkAllocator network, InstanceBlueprints blueprints,
                               VipRotation rotation, ImageRepository images, String defaultImage, String vipAddress) {
        this.services = services;
        this.network = network;
        this.blueprints = blueprints;
        this.rotation = rotation;
        this.images = images;
        this.defaultImage = defaultImage;
        this.vipAddress = vipAddress;
    }

    public ServiceStore services() {
        return services;
    }

    public NetworkAllocator network() {
        return network;
    }

    /**
     * Bind service and listeners (the first time), allocate every instance's addresses and add the instances not yet
     * in the LB as backends (an instance already there keeps its listeners).
     */
    public synchronized LoadedService attach(DeploymentRecord d) {
        LoadedService service = service(d);
        if (attached.add(d.id())) {
            bindListeners(d, service);
        }
        blueprints.allocate(service, d);
        for (InstanceRecord i : d.instances()) {
            addBackends(new InstanceRef(d.id(), i.role(), i.id()), service);
        }
        return service;
    }

    /** The deployment's current stored service (revision 0 is bound to its id at create). */
    public LoadedService service(DeploymentRecord d) {
        return service(d, d.serviceRevision());
    }

    /** One revision of the deployment's stored service. */
    public LoadedService service(DeploymentRecord d, int revision) {
        // revision 0 is bound from staging at create; a later one is on disk (and revision 0 may be gone by then)
        return revision == 0 ? services.require(d.id(), id -> Optional.of(d.name())) : services.require(d.id(), revision);
    }

    /**
     * The plan of one instance as the deployment stands in {@code d}, from the service revision the instance is on
     * (a rollout moves instances to the new one one by one).
     */
    @Override
    public InstancePlan plan(DeploymentRecord d, InstanceSpec spec) {
        int revision = d.instance(spec.ref().instanceId()).map(InstanceRecord::serviceRevision)
                .orElse(d.serviceRevision());
        return blueprints.plan(service(d, revision), d, spec, image(spec.osImage()));
    }

    /** A deleted instance's addresses go back to the pool. */
    @Override
    public void release(InstanceRef ref) {
        network.release(ref.deploymentId(), ref.instanceId());
    }

    public Image image(String osImage) {
        String name = osImage == null || osImage.isBlank() ? defaultImage : osImage;
        try {
            return images.require(name);
        } catch (ImageException | IOException e) {
            throw new RuntimeOperationException("image '" + name + "' is not available: " + e.getMessage()
                    + " (register it with the image repository, or build the base image: ./csemu setup)", e);
        }
    }

    /** The images the deployment's roles use (names or ids as the configuration gives them, or the default). */
    public List<String> imageNames(LoadedService service) {
        List<String> out = new ArrayList<>();
        service.configuration().roles().forEach(r -> {
            String n = r.osImageHref() == null || r.osImageHref().isBlank() ? defaultImage : r.osImageHref();
            if (!out.contains(n)) {
                out.add(n);
            }
        });
        return out;
    }

    /** Every VIP endpoint of a deployment: the role listeners, then the instance input endpoints of {@code d}. */
    public List<VipEndpoint> endpoints(DeploymentRecord d) {
        String deploymentId = d.id();
        List<VipEndpoint> out = new ArrayList<>();
        Optional<LoadedService> service = services.bound(deploymentId, d.serviceRevision());
        for (VipRotation.EndpointListener l : rotation.endpointListeners(deploymentId)) {
            int declared = service.flatMap(s -> s.definition().role(l.role()))
                    .flatMap(r -> r.endpoints().input().stream().filter(e -> e.name().equals(l.endpoint())).findFirst())
                    .map(InputEndpoint::port).orElse(l.listener().port());
            String protocol = service.flatMap(s -> s.definition().role(l.role()))
                    .flatMap(r -> r.endpoints().input().stream().filter(e -> e.name().equals(l.endpoint())).findFirst())
                    .map(e -> e.protocol().xmlValue()).orElse("tcp");
            out.add(new VipEndpoint(l.role(), l.endpoint(), null, protocol, l.listener().address(), declared,
                    l.listener().port(), aclName(l.listener()), deniedByAcl(l.listener())));
        }
        if (service.isPresent()) {
            for (InstanceRecord i : d.instances()) {
                for (BoundListener l : rotation.instanceListeners(new InstanceRef(deploymentId, i.role(), i.id()))) {
                    String endpoint = l.spec().name().substring(l.spec().name().lastIndexOf('/') + 1);
                    out.add(new VipEndpoint(i.role(), endpoint, i.id(), l.spec().protocol().name().toLowerCase(),
                            l.address(), l.spec().port().min(), l.port(), aclName(l), deniedByAcl(l)));
                }
            }
        }
        return out;
    }

    /**
     * A configuration update changed endpoint ACLs: each listener of the deployment (input endpoints, and instance
     * input endpoints per instance) takes the ACL the stored configuration gives it, at once; the instances are
     * not touched. A daemon that dies before this declares the listeners with the stored ACLs when it comes back.
     */
    public synchronized void applyAccessControls(DeploymentRecord d, LoadedService service) {
        for (VipRotation.EndpointListener l : rotation.endpointListeners(d.id())) {
            change(l.listener(), EndpointAccessControls.of(service.configuration(), l.role(), l.endpoint()));
        }
        for (InstanceRecord i : d.instances()) {
            InstanceRef ref = new InstanceRef(d.id(), i.role(), i.id());
            for (BoundListener l : rotation.instanceListeners(ref)) {
                String name = l.spec().name();
                String endpoint = name.substring(name.lastIndexOf('/') + 1);
                change(l, EndpointAccessControls.of(service.configuration(), i.role(), endpoint));
            }
        }
    }

    private static void change(BoundListener l, Optional<AccessControlList> acl) {
        if (!Objects.equals(l.spec().accessControl(), acl.orElse(null))) {
            l.changeAccessControl(acl.orElse(null));
            LOG.info("{}: endpoint ACL now {}", l.spec().name(), acl.map(AccessControlList::name).orElse("none"));
        }
    }

    /** Close the listeners and forget the addresses and service of a deleted deployment. */
    public synchronized void detach(String deploymentId) {
        rotation.removeDeployment(deploymentId);
        network.releaseDeployment(deploymentId);
        services.remove(deploymentId);
        attached.remove(deploymentId);
    }

    // ---- VIP swap

    @Override
    public synchronized Map<String, Integer> plan(String productionId, String stagingId) {
        Map<String, BoundListener> production = roleListeners(productionId);
        Map<String, BoundListener> staging = roleListeners(stagingId);
        Map<String, Integer> ports = new LinkedHashMap<>();
        if (productionId != null && stagingId != null) {
            List<String> differences = new ArrayList<>();
            production.forEach((key, l) -> {
                BoundListener peer = staging.get(key);
                if (peer == null) {
                    differences.add(key + " only in production");
                } else if (peer.spec().protocol() != l.spec().protocol()) {
                    differences.add(key + " is " + l.spec().protocol() + " in production, " + peer.spec().protocol()
                            + " in staging");
                }
            });
            staging.keySet().stream().filter(k -> !production.containsKey(k))
                    .forEach(k -> differences.add(k + " only in staging"));
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException("cannot swap: the two deployments' input endpoints differ ("
                        + String.join("; ", differences) + "); a VIP swap exchanges them endpoint for endpoint");
            }
            production.forEach((key, l) -> {
                BoundListener peer = staging.get(key);
                ports.put(l.spec().name(), peer.port());
                ports.put(peer.spec().name(), l.port());
            });
            return ports;
        }
        // a move into the empty slot: that slot's VIP is new ports, held by placeholders until apply takes them
        try {
            for (BoundListener l : (productionId != null ? production : staging).values()) {
                BoundListener hold = rotation.loadBalancer().addListener(holder(l, l.spec().port()));
                ports.put(l.spec().name(), hold.port());
            }
        } catch (RuntimeException e) {
            ports.keySet().forEach(name -> rotation.loadBalancer().removeListener(HOLD_PREFIX + name));
            throw e;
        }
        return ports;
    }

    @Override
    public synchronized List<String> apply(Map<String, Integer> ports) {
        LoadBalancer lb = rotation.loadBalancer();
        List<String> moved = new ArrayList<>();
        // a pass moves every listener not on its port; a second one catches a swap the LB process applied twice (its
        // reply lost, the call retried), and what is still off then is an error: the intent stays for the next start
        for (int pass = 0; pass < 3; pass++) {
            List<String> off = offPort(lb, ports);
            if (off.isEmpty()) {
                break;
            }
            if (pass == 2) {
                throw new IllegalStateException("VIP listeners not on their ports after the swap: " + off);
            }
            for (String name : off) {
                int target = ports.get(name);
                BoundListener l = lb.listener(name).orElse(null);
                if (l == null || l.port() == target) {
                    continue; // moved already, by the swap of its pair
                }
                String other = lb.listeners().stream().filter(x -> x.port() == target
                                && x.spec().protocol() == l.spec().protocol() && !x.spec().name().equals(name))
                        .map(x -> x.spec().name()).findFirst()
                        .orElseGet(() -> lb.addListener(holder(l, PortRequest.range(target, target))).spec().name());
                int from = l.port(); // before the swap: an in-process listener's port() moves with it
                lb.swapPorts(name, other);
                moved.add(name + ": " + from + " -> " + target);
            }
        }
        for (BoundListener l : lb.listeners()) {
            if (l.spec().name().startsWith(HOLD_PREFIX)) {
                lb.removeListener(l.spec().name()); // the ports a moved deployment gave up
            }
        }
        Set<String> deployments = new HashSet<>();
        ports.forEach((name, port) -> {
            String deploymentId = name.substring(0, name.indexOf('/'));
            network.recordVipPort(deploymentId, name, port);
            deployments.add(deploymentId);
        });
        deployments.forEach(rotation::refreshEndpointListeners);
        return moved;
    }

    /** The listeners (that still exist) not on the port {@code ports} gives them, in name order. */
    private static List<String> offPort(LoadBalancer lb, Map<String, Integer> ports) {
        List<String> off = new ArrayList<>();
        for (Map.Entry<String, Integer> e : new TreeMap<>(ports).entrySet()) {
            lb.listener(e.getKey()).filter(l -> l.port() != e.getValue()).ifPresent(l -> off.add(e.getKey()));
        }
        return off;
    }

    /** The deployment's role input endpoint listeners by {@code role/endpoint}; none for null. */
    private Map<String, BoundListener> roleListeners(String deploymentId) {
        Map<String, BoundListener> out = new LinkedHashMap<>();
        if (deploymentId != null) {
            rotation.refreshEndpointListeners(deploymentId);
            rotation.endpointListeners(deploymentId)
                    .forEach(l -> out.put(l.role() + "/" + l.endpoint(), l.listener()));
        }
        return out;
    }

    private ListenerSpec holder(BoundListener l, PortRequest port) {
        String name = HOLD_PREFIX + l.spec().name();
        return (l.spec().protocol() == org.csemu.lb.Protocol.UDP ? ListenerSpec.udp(name) : ListenerSpec.tcp(name))
                .address(l.address()).build().withPort(port);
    }

    private void bindListeners(DeploymentRecord d, LoadedService service) {
        for (RoleDefinition role : service.definition().roles()) {
            for (InputEndpoint e : role.endpoints().input()) {
                String name = d.id() + "/" + role.name() + "/" + e.name();
                ListenerSpec.Builder b = (e.protocol() == Protocol.UDP ? ListenerSpec.udp(name) : ListenerSpec.tcp(name))
                        .address(vipAddress)
                        .port(network.vipPort(d.id(), name).orElse(e.port()))
                        .distribution(distribution(e))
                        .idleTimeoutMinutes(e.idleTimeoutInMinutes() > 0 ? e.idleTimeoutInMinutes()
                                : InputEndpoint.DEFAULT_IDLE_TIMEOUT_MINUTES);
                if (e.loadBalancerProbe() != null && !e.loadBalancerProbe().isBlank()) {
                    service.definition().probe(e.loadBalancerProbe()).ifPresent(p -> b.probe(probe(p, e)));
                }
                EndpointAccessControls.of(service.configuration(), role.name(), e.name()).ifPresent(b::accessControl);
                BoundListener listener = rotation.loadBalancer().addListener(b.build());
                network.recordVipPort(d.id(), name, listener.port());
                rotation.addEndpointListener(new VipRotation.EndpointListener(d.id(), role.name(), e.name(),
                        e.ignoreRoleInstanceStatus(), listener));
            }
        }
    }

    private void addBackends(InstanceRef ref, LoadedService service) {
        RoleDefinition role = service.definition().role(ref.roleName()).orElseThrow();
        InstanceNetwork net = network.instance(ref.deploymentId(), ref.instanceId()).orElseThrow();
        rotation.addBackends(ref, net.address(), net.hostPorts());
        for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
            String name = ref.deploymentId() + "/" + ref.instanceId() + "/" + e.name();
            if (rotation.instanceListeners(ref).stream().anyMatch(l -> l.spec().name().equals(name))) {
                continue;
            }
            Integer previous = net.publicPorts().get(e.name());
            ListenerSpec.Builder b = (e.protocol() == Protocol.UDP ? ListenerSpec.udp(name) : ListenerSpec.tcp(name))
                    .address(vipAddress)
                    .portRange(e.publicPortRange().min(), e.publicPortRange().max());
            EndpointAccessControls.of(service.configuration(), role.name(), e.name()).ifPresent(b::accessControl);
            ListenerSpec anyPortOfTheRange = b.build();
            BoundListener listener;
            try { // the port this instance had before a restart, else the first free one of the range
                listener = rotation.loadBalancer().addListener(previous == null ? anyPortOfTheRange
                        : anyPortOfTheRange.withPort(PortRequest.range(previous, previous)));
            } catch (RuntimeException taken) {
                listener = rotation.loadBalancer().addListener(anyPortOfTheRange);
            }
            network.recordPublicPort(ref.deploymentId(), ref.instanceId(), e.name(), listener.port());
            rotation.addInstanceListener(ref, listener, net.address(), net.hostPorts().get(e.name()));
        }
    }

    private static String aclName(BoundListener l) {
        return l.spec().accessControl() == null ? null : l.spec().accessControl().name();
    }

    /** Asks the LB only when the listener has an ACL (a round trip to the LB process otherwise spared). */
    private static long deniedByAcl(BoundListener l) {
        return l.spec().accessControl() == null ? 0 : l.stats().deniedByAcl();
    }

    private static Distribution distribution(InputEndpoint e) {
        if (e.distribution() == null) {
            return Distribution.FIVE_TUPLE;
        }
        return switch (e.distribution()) {
            case FIVE_TUPLE -> Distribution.FIVE_TUPLE;
            case SOURCE_IP -> Distribution.SOURCE_IP;
            case SOURCE_IP_PROTOCOL -> Distribution.SOURCE_IP_PROTOCOL;
        };
    }

    /**
     * The csdef probe against the backend address. The probe's port is a guest port; the LB probes the instance's
     * host address, where the endpoint's own local port is the backend port (0 below). A probe on another guest port
     * has a forward of its own on every instance address ({@link ProbeForwards}), on the same host port.
     */
    private static ProbeSpec probe(LoadBalancerProbe p, InputEndpoint e) {
        int port = ProbeForwards.ownPort(p, e) ? ProbeForwards.hostPort(p.port()) : 0;
        return p.protocol() == LoadBalancerProbe.ProbeProtocol.HTTP
                ? ProbeSpec.http(p.path() == null ? "/" : p.path(), port, p.intervalInSeconds(), p.timeoutInSeconds())
                : ProbeSpec.tcp(port, p.intervalInSeconds(), p.timeoutInSeconds());
    }
}
