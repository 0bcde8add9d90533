package org.csemu.fabric.service;

import java.util.LinkedHashMap;
import java.util.Map;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.LoadBalancerProbe;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;

/**
 * The guest ports a role's load-balancer probes use besides its endpoints' own local ports. Each gets a forward of
 * its own, like an endpoint (named {@code probe:<probe name>}, so it shows in the instance's status), on the same
 * host port of every instance's address, which is the port the LB's probe is given.
 */
public final class ProbeForwards {
    public static final String PREFIX = "probe:";

    private ProbeForwards() {
    }

    /** Forward name → guest port, for the probes of {@code role} on a port other than their endpoint's. */
    public static Map<String, Integer> of(ServiceDefinition definition, RoleDefinition role) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (InputEndpoint e : role.endpoints().input()) {
            if (e.loadBalancerProbe() == null || e.loadBalancerProbe().isBlank()) {
                continue;
            }
            definition.probe(e.loadBalancerProbe()).filter(p -> ownPort(p, e))
                    .ifPresent(p -> out.put(PREFIX + p.name(), p.port()));
        }
        return out;
    }

    /** The probe has a port of its own (not 0, not the endpoint's local port). */
    public static boolean ownPort(LoadBalancerProbe probe, InputEndpoint endpoint) {
        return probe.port() != 0 && probe.port() != endpoint.localPort();
    }

    public static boolean isProbe(String forwardName) {
        return forwardName.startsWith(PREFIX);
    }

    /**
     * The host port a probe forward gets on every instance address (each instance has an address of its own, so
     * the port is free there): the guest port, or guest port + 8000 below 1024 (QEMU cannot bind those).
     */
    public static int hostPort(int guestPort) {
        return guestPort >= 1024 ? guestPort : guestPort + 8000;
    }
}
