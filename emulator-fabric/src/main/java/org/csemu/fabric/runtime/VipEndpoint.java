package org.csemu.fabric.runtime;

/**
 * An input endpoint (or one instance's instance input endpoint) as bound on the VIP.
 *
 * @param instanceId  null for a role's load-balanced input endpoint; the instance for an instance input endpoint
 * @param declaredPort the port of the definition (the first of the range for an instance input endpoint)
 * @param boundPort    the port actually listening
 */
public record VipEndpoint(String role, String endpoint, String instanceId, String protocol, String address,
                          int declaredPort, int boundPort) {

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
