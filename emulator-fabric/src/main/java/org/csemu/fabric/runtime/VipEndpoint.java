package org.csemu.fabric.runtime;

/**
 * An input endpoint (or one instance's instance input endpoint) as bound on the VIP.
 *
 * @param instanceId  null for a role's load-balanced input endpoint; the instance for an instance input endpoint
 * @param declaredPort the port of the definition (the first of the range for an instance input endpoint)
 * @param boundPort    the port actually listening
 * @param accessControl the name of the endpoint ACL the listener enforces, or null (every source permitted)
 * @param deniedByAcl  connections (datagrams, for UDP) the ACL denied since the listener was bound
 */
public record VipEndpoint(String role, String endpoint, String instanceId, String protocol, String address,
                          int declaredPort, int boundPort, String accessControl, long deniedByAcl) {

    public boolean portChanged() {
        return instanceId == null && declaredPort != boundPort;
    }

    /** {@code 80 -> 8080} when the declared port was not available, else the port. */
    public String describePort() {
        return portChanged() ? declaredPort + " -> " + boundPort : Integer.toString(boundPort);
    }

    public String url() {
        return ("udp".equals(protocol) ? "udp" : "https".equals(protocol) ? "https" : "http".equals(protocol) ? "http"
                : "tcp") + "://" + address + ":" + boundPort;
    }
}
