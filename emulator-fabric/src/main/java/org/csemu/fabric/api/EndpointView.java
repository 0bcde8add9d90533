package org.csemu.fabric.api;

/**
 * An endpoint and where it is reachable on this host.
 *
 * @param name the endpoint name from the definition
 * @param protocol tcp, udp, http, https
 * @param address the host address (the VIP, or an instance's own address)
 * @param publicPort the port on {@code address}
 * @param declaredPort the port the definition asked for (differs from {@code publicPort} when that was taken)
 * @param localPort the port inside the guest
 * @param accessControl the endpoint ACL the VIP enforces on it (cscfg EndpointAcl), or null: every source permitted
 * @param deniedByAcl connections the ACL denied (0 without one, and for an instance's own address)
 */
public record EndpointView(String name, String protocol, String address, int publicPort, int declaredPort, int localPort,
                           String accessControl, long deniedByAcl) {
}
