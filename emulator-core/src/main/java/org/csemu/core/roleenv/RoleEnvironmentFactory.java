package org.csemu.core.roleenv;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.roleenv.RoleEnvironmentInput.ConfigurationSetting;
import org.csemu.core.roleenv.RoleEnvironmentInput.CurrentInstance;
import org.csemu.core.roleenv.RoleEnvironmentInput.EndpointAddress;
import org.csemu.core.roleenv.RoleEnvironmentInput.LocalResourceInfo;
import org.csemu.core.roleenv.RoleEnvironmentInput.PeerInstance;
import org.csemu.core.roleenv.RoleEnvironmentInput.RoleView;
import org.csemu.core.topology.InstancePlacement;
import org.csemu.core.topology.RoleTopology;
import org.csemu.core.topology.ServiceTopology;

/**
 * Builds the {@link RoleEnvironmentInput} of an instance from the service model, its topology and the ports the
 * fabric chose, applying csemu's addressing (docs/ARCHITECTURE "Addresses"): inside its guest an instance's own
 * endpoints are at {@value #GUEST_ADDRESS}:&lt;local port&gt;; a peer's internal endpoint is listed at
 * {@value #GUEST_ADDRESS}:&lt;its peer port&gt; too, where the caller's own guest runs a proxy to the QEMU
 * user-mode gateway ({@value #GATEWAY_ADDRESS}, the same port, forwarded on the host's 127.0.0.1 to the peer's
 * traffic gate: docs/fabric.md, network traffic rules); local resources are mounted at
 * {@value #LOCAL_RESOURCE_ROOT}&lt;name&gt;/ (with the trailing separator, like the cloud's RootPath).
 */
public final class RoleEnvironmentFactory {

    /** The guest's own address under QEMU user-mode networking. */
    public static final String GUEST_ADDRESS = "10.0.2.15";
    /** The user-mode gateway: reaches the host's 127.0.0.1. */
    public static final String GATEWAY_ADDRESS = "10.0.2.2";
    public static final String LOCAL_RESOURCE_ROOT = "/csemu/local/";

    private RoleEnvironmentFactory() {
    }

    /**
     * @throws IllegalArgumentException the instance is not in the topology, its role has no configuration, or an
     *                                  endpoint that needs a fabric-assigned port has none
     */
    public static RoleEnvironmentInput forInstance(String deploymentId, ServiceDefinition definition, ServiceConfiguration configuration,
                                                   ServiceTopology topology, String instanceId, EndpointPorts ports) {
        InstancePlacement self = topology.instance(instanceId).orElseThrow(() ->
                new IllegalArgumentException("instance '" + instanceId + "' is not in the topology of service '" + topology.serviceName() + "'"));
        RoleDefinition role = definition.role(self.roleName()).orElseThrow(() ->
                new IllegalArgumentException("role '" + self.roleName() + "' is not in the definition of service '" + definition.name() + "'"));
        RoleConfiguration cfg = configuration.role(role.name()).orElseThrow(() ->
                new IllegalArgumentException("role '" + role.name() + "' has no configuration"));

        List<ConfigurationSetting> settings = cfg.settings().stream().map(s -> new ConfigurationSetting(s.name(), s.value())).toList();
        List<LocalResourceInfo> resources = new ArrayList<>();
        for (LocalStorage ls : role.localStorage()) {
            resources.add(new LocalResourceInfo(ls.name(), localResourcePath(ls.name()), ls.sizeInMB()));
        }
        List<EndpointAddress> own = new ArrayList<>();
        for (InputEndpoint e : role.endpoints().input()) {
            own.add(new EndpointAddress(e.name(), e.protocol().xmlValue(), GUEST_ADDRESS,
                    e.localPort() != InputEndpoint.AUTO_PORT ? e.localPort() : assigned(ports, self, e.name(), "input")));
        }
        for (InternalEndpoint e : role.endpoints().internal()) {
            own.add(new EndpointAddress(e.name(), e.protocol().xmlValue(), GUEST_ADDRESS, internalPort(e, self, ports)));
        }
        for (InstanceInputEndpoint e : role.endpoints().instanceInput()) {
            own.add(new EndpointAddress(e.name(), e.protocol().xmlValue(), GUEST_ADDRESS, e.localPort()));
        }
        CurrentInstance current = new CurrentInstance(self.id(), self.roleName(), self.updateDomain(), self.faultDomain(),
                settings, resources, own);

        List<RoleView> roles = new ArrayList<>();
        for (RoleDefinition r : definition.roles()) {
            List<PeerInstance> peers = new ArrayList<>();
            RoleTopology rt = topology.role(r.name()).orElse(null);
            if (rt != null) {
                for (InstancePlacement p : rt.instances()) {
                    if (!p.id().equals(self.id())) {
                        peers.add(new PeerInstance(p.id(), p.updateDomain(), p.faultDomain(), peerEndpoints(r, p, ports)));
                    }
                }
            }
            roles.add(new RoleView(r.name(), peers));
        }
        return new RoleEnvironmentInput(deploymentId, true, current, roles);
    }

    /** {@code /csemu/local/<name>/}. */
    public static String localResourcePath(String name) {
        return LOCAL_RESOURCE_ROOT + name + "/";
    }

    private static List<EndpointAddress> peerEndpoints(RoleDefinition role, InstancePlacement peer, EndpointPorts ports) {
        List<EndpointAddress> out = new ArrayList<>();
        role.endpoints().input().forEach(e -> addPeer(out, e.name(), e.protocol().xmlValue(), peer, ports));
        role.endpoints().internal().forEach(e -> addPeer(out, e.name(), e.protocol().xmlValue(), peer, ports));
        role.endpoints().instanceInput().forEach(e -> addPeer(out, e.name(), e.protocol().xmlValue(), peer, ports));
        return out;
    }

    private static void addPeer(List<EndpointAddress> out, String name, String protocol, InstancePlacement peer, EndpointPorts ports) {
        OptionalInt port = ports.peerPort(peer.id(), name);
        if (port.isPresent()) {
            out.add(new EndpointAddress(name, protocol, GUEST_ADDRESS, port.getAsInt())); // this guest's proxy
        }
    }

    private static int internalPort(InternalEndpoint e, InstancePlacement self, EndpointPorts ports) {
        if (e.port() != InputEndpoint.AUTO_PORT) {
            return e.port();
        }
        if (!e.fixedPorts().isEmpty()) {
            return e.fixedPorts().get(0).min();
        }
        return assigned(ports, self, e.name(), "internal");
    }

    private static int assigned(EndpointPorts ports, InstancePlacement self, String endpoint, String kind) {
        return ports.assignedLocalPort(self.id(), endpoint).orElseThrow(() -> new IllegalArgumentException(
                "the " + kind + " endpoint '" + endpoint + "' of role '" + self.roleName() + "' leaves its port to the fabric ('*' or none), "
                        + "but no port was assigned to instance '" + self.id() + "'"));
    }
}
