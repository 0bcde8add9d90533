package org.csemu.fabric.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InstanceInputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.Protocol;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.topology.TrafficPolicy;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.disk.ConfigDriveInput;

/**
 * One instance's gates and proxies for internal-endpoint traffic (docs/fabric.md, network traffic rules). Each TCP
 * port of its own internal endpoints gets a gate on its peer port number, where both of its forwards lead, letting
 * through the roles {@link TrafficPolicy} allows; each port of a peer's internal endpoint gets a proxy on the
 * peer's port number, which is where the role environment tells role code to connect. Peer port numbers are host
 * ports unique in the data directory and kept clear of every guest port the service declares
 * ({@link #reservedGuestPorts}), so gates and proxies never collide with role code inside a guest.
 */
final class TrafficGates {

    private TrafficGates() {
    }

    static ConfigDriveInput.Gates of(ServiceDefinition definition, DeploymentRecord d, String instanceId,
                                     RoleDefinition role, NetworkAllocator network, GateSecrets secrets) {
        TrafficPolicy policy = TrafficPolicy.of(definition);
        InstanceNetwork self = network.instance(d.id(), instanceId).orElseThrow();
        List<ConfigDriveInput.Gates.Gate> gates = new ArrayList<>();
        for (InternalEndpoint e : role.endpoints().internal()) {
            if (e.protocol() == Protocol.UDP) {
                continue; // a datagram cannot carry the secret first: UDP stays open (docs/fabric.md)
            }
            List<String> allowed = policy.allowedSources(role.name(), e.name()).stream().sorted()
                    .map(r -> secrets.of(d.id(), r)).toList();
            for (String name : InternalPorts.forwardNames(e)) {
                Integer gate = self.peerPorts().get(name);
                Integer target = self.localPorts().get(name);
                if (gate != null && target != null) {
                    gates.add(new ConfigDriveInput.Gates.Gate(gate, target, allowed));
                }
            }
        }
        List<ConfigDriveInput.Gates.Proxy> proxies = new ArrayList<>();
        for (InstanceRecord peer : d.instances()) {
            if (peer.id().equals(instanceId)) {
                continue;
            }
            RoleDefinition peerRole = definition.role(peer.role()).orElse(null);
            InstanceNetwork n = network.instance(d.id(), peer.id()).orElse(null);
            if (peerRole == null || n == null) {
                continue;
            }
            for (InternalEndpoint e : peerRole.endpoints().internal()) {
                for (String name : InternalPorts.forwardNames(e)) {
                    Integer port = n.peerPorts().get(name);
                    if (port != null) {
                        proxies.add(new ConfigDriveInput.Gates.Proxy(port, e.protocol() == Protocol.UDP));
                    }
                }
            }
        }
        return new ConfigDriveInput.Gates(secrets.of(d.id(), role.name()), gates, proxies);
    }

    /**
     * Every guest port some role of the service may listen on: the declared ones (input, internal, instance input,
     * probes) and the range the fabric assigns {@code localPort="*"} from. Peer ports avoid them.
     */
    static Set<Integer> reservedGuestPorts(ServiceDefinition definition) {
        Set<Integer> out = new HashSet<>();
        int mostAssigned = 0;
        for (RoleDefinition r : definition.roles()) {
            int assigned = 0;
            for (InputEndpoint e : r.endpoints().input()) {
                if (e.localPort() != InputEndpoint.AUTO_PORT) {
                    out.add(e.localPort());
                } else {
                    assigned++;
                }
            }
            for (InternalEndpoint e : r.endpoints().internal()) {
                List<Integer> fixed = InternalPorts.fixedGuestPorts(e);
                if (e.port() != InputEndpoint.AUTO_PORT) {
                    out.add(e.port());
                } else if (fixed.isEmpty()) {
                    assigned++;
                }
                out.addAll(fixed);
            }
            for (InstanceInputEndpoint e : r.endpoints().instanceInput()) {
                out.add(e.localPort());
            }
            ProbeForwards.of(definition, r).values().forEach(out::add);
            mostAssigned = Math.max(mostAssigned, assigned);
        }
        for (int p = NetworkAllocator.FIRST_ASSIGNED_GUEST_PORT;
             p < NetworkAllocator.FIRST_ASSIGNED_GUEST_PORT + mostAssigned; p++) {
            out.add(p);
        }
        return out;
    }
}
