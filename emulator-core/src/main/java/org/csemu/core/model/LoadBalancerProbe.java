package org.csemu.core.model;

/**
 * A service-level custom load-balancer probe; it replaces the guest-agent readiness probe for the endpoints that
 * name it.
 *
 * @param path              http only; null for tcp
 * @param port              0 means "the endpoint's port"
 * @param intervalInSeconds default 15, minimum 5
 * @param timeoutInSeconds  default 31, minimum 11
 */
public record LoadBalancerProbe(
        String name,
        ProbeProtocol protocol,
        String path,
        int port,
        int intervalInSeconds,
        int timeoutInSeconds,
        SourceLocation location) {

    public static final int DEFAULT_INTERVAL_SECONDS = 15;
    public static final int DEFAULT_TIMEOUT_SECONDS = 31;
    public static final int MIN_INTERVAL_SECONDS = 5;
    public static final int MIN_TIMEOUT_SECONDS = 11;

    /** Probe protocols: http needs a 200, tcp needs an accepted connection. */
    public enum ProbeProtocol {
        HTTP("http"),
        TCP("tcp");

        private final String xmlValue;

        ProbeProtocol(String xmlValue) {
            this.xmlValue = xmlValue;
        }

        public String xmlValue() {
            return xmlValue;
        }
    }
}
