package org.csemu.core.model;

/**
 * A load-balanced endpoint on the VIP.
 *
 * @param port                 the public (VIP) port, 1..65535
 * @param localPort            the port inside the instance; {@link #AUTO_PORT} for {@code *}; equals port when omitted
 * @param certificate          name of a role certificate; https only; null when absent
 * @param loadBalancerProbe    name of a service-level probe; null when absent
 * @param loadBalancer         name of a cscfg internal load balancer; null when absent
 * @param idleTimeoutInMinutes default 4, range 4..30
 */
public record InputEndpoint(
        String name,
        Protocol protocol,
        int port,
        int localPort,
        String certificate,
        boolean ignoreRoleInstanceStatus,
        String loadBalancerProbe,
        String loadBalancer,
        int idleTimeoutInMinutes,
        LoadBalancerDistribution distribution,
        SourceLocation location) {

    /** {@code localPort="*"}: the fabric picks the port. */
    public static final int AUTO_PORT = 0;
    public static final int DEFAULT_IDLE_TIMEOUT_MINUTES = 4;
}
