package org.csemu.lb;

import java.time.Duration;
import java.util.Objects;

/**
 * One public endpoint on the VIP: what the fabric derives from an {@code InputEndpoint} (a {@link PortRequest#preferred}
 * port, many backends) or an {@code InstanceInputEndpoint} (a {@link PortRequest#range}, one backend). Built with
 * {@link #tcp(String)} or {@link #udp(String)}.
 *
 * @param name         unique per load balancer; the fabric uses e.g. {@code "WebRole1/HttpIn"}
 * @param address      the VIP address, loopback only ({@code 127.0.0.1} by default)
 * @param probe        null: the backend is in rotation whenever the fabric says it is eligible
 * @param idleTimeout  idle connections are closed after this (4 min by default, 4–30 min)
 * @param drainTimeout connections to a backend that left rotation are closed after this at the latest
 * @param accessControl the endpoint ACL checked on each new connection's source address, or null: everything is
 *                      permitted (the cloud's default for an endpoint without an ACL)
 */
public record ListenerSpec(String name, Protocol protocol, String address, PortRequest port, Distribution distribution,
                           ProbeSpec probe, Duration idleTimeout, Duration drainTimeout,
                           AccessControlList accessControl) {

    public static final String DEFAULT_VIP = "127.0.0.1";
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(4);
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(4);
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofMinutes(30);
    /** Classic Cloud Services document no drain deadline; OnStop may run 5 minutes, so drain that long. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);

    public ListenerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(distribution, "distribution");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (!address.startsWith("127.")) {
            throw new IllegalArgumentException("listener " + name + ": the VIP must be a loopback address (127/8), got "
                    + address);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || drainTimeout.isNegative()) {
            throw new IllegalArgumentException("listener " + name + ": idle timeout must be positive, drain timeout "
                    + "not negative");
        }
    }

    /** The same listener asking for another port (a re-declaration on the port it had). */
    public ListenerSpec withPort(PortRequest request) {
        return new ListenerSpec(name, protocol, address, request, distribution, probe, idleTimeout, drainTimeout,
                accessControl);
    }

    /** The same listener with another endpoint ACL (null: every source permitted). */
    public ListenerSpec withAccessControl(AccessControlList acl) {
        return new ListenerSpec(name, protocol, address, port, distribution, probe, idleTimeout, drainTimeout, acl);
    }

    public static Builder tcp(String name) {
        return new Builder(name, Protocol.TCP);
    }

    public static Builder udp(String name) {
        return new Builder(name, Protocol.UDP);
    }

    /** Builder with the model's defaults. */
    public static final class Builder {
        private final String name;
        private final Protocol protocol;
        private String address = DEFAULT_VIP;
        private PortRequest port = PortRequest.preferred(0);
        private Distribution distribution = Distribution.FIVE_TUPLE;
        private ProbeSpec probe;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private AccessControlList accessControl;

        private Builder(String name, Protocol protocol) {
            this.name = name;
            this.protocol = protocol;
        }

        public Builder address(String vip) {
            this.address = vip;
            return this;
        }

        /** The declared port, or the next free one. */
        public Builder port(int declared) {
            this.port = PortRequest.preferred(declared);
            return this;
        }

        /** An instance input endpoint's public port range. */
        public Builder portRange(int min, int max) {
            this.port = PortRequest.range(min, max);
            return this;
        }

        public Builder distribution(Distribution mode) {
            this.distribution = mode;
            return this;
        }

        public Builder probe(ProbeSpec spec) {
            this.probe = spec;
            return this;
        }

        /** The model's {@code idleTimeoutInMinutes}: 4 to 30. */
        public Builder idleTimeoutMinutes(int minutes) {
            Duration d = Duration.ofMinutes(minutes);
            if (d.compareTo(MIN_IDLE_TIMEOUT) < 0 || d.compareTo(MAX_IDLE_TIMEOUT) > 0) {
                throw new IllegalArgumentException("listener " + name + ": idleTimeoutInMinutes " + minutes
                        + " is outside 4-30");
            }
            this.idleTimeout = d;
            return this;
        }

        /** Test-only: an idle timeout below the model's 4 minutes, so tests run in seconds. */
        public Builder idleTimeoutForTesting(Duration shortTimeout) {
            this.idleTimeout = shortTimeout;
            return this;
        }

        /** How long connections to a backend that left rotation may continue (0: closed at once). */
        public Builder drainTimeout(Duration deadline) {
            this.drainTimeout = deadline;
            return this;
        }

        /** The endpoint ACL (cscfg {@code EndpointAcl}); null, the default, permits every source. */
        public Builder accessControl(AccessControlList acl) {
            this.accessControl = acl;
            return this;
        }

        public ListenerSpec build() {
            return new ListenerSpec(name, protocol, address, port, distribution, probe, idleTimeout, drainTimeout,
                    accessControl);
        }
    }
}
