package org.csemu.fabric.service;

import java.util.Map;
import java.util.TreeMap;

/**
 * The addresses and ports allocated to one instance, persisted so that a restarted fabric (and an adopted guest whose
 * QEMU still holds the forwards) agree on them.
 *
 * @param address            the instance's own host address, {@code 127.255.x.y}; every endpoint is forwarded from it
 * @param hostPorts          endpoint name → port on {@code address} forwarded to the endpoint's local port in the guest
 * @param localPorts         endpoint name → the port inside the guest (declared, or assigned for {@code *})
 * @param peerPorts          internal endpoint name → port on the host's 127.0.0.1 forwarded to it (guests reach it via
 *                           10.0.2.2)
 * @param publicPorts        instance input endpoint name → the public port on the VIP reaching this instance alone
 */
public record InstanceNetwork(String address, Map<String, Integer> hostPorts, Map<String, Integer> localPorts,
                              Map<String, Integer> peerPorts, Map<String, Integer> publicPorts) {
    public InstanceNetwork {
        hostPorts = Map.copyOf(new TreeMap<>(hostPorts));
        localPorts = Map.copyOf(new TreeMap<>(localPorts));
        peerPorts = Map.copyOf(new TreeMap<>(peerPorts));
        publicPorts = Map.copyOf(new TreeMap<>(publicPorts == null ? Map.of() : publicPorts));
    }

    public InstanceNetwork withPublicPort(String endpoint, int port) {
        Map<String, Integer> p = new TreeMap<>(publicPorts);
        p.put(endpoint, port);
        return new InstanceNetwork(address, hostPorts, localPorts, peerPorts, p);
    }
}
