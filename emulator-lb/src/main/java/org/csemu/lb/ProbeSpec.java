package org.csemu.lb;

import java.time.Duration;
import java.util.Objects;

/**
 * A {@code LoadBalancerProbe}: http (a GET on {@code path}; only 200 counts, any other answer marks the backend down
 * at once) or tcp (a connect). A backend is healthy after its first success and down when no attempt has succeeded
 * for {@code timeout} (about two attempts with the model's defaults of 15 s and 31 s).
 *
 * @param port 0 means the backend's own port
 */
public record ProbeSpec(Kind kind, String path, int port, Duration interval, Duration timeout) {

    /** Probe protocol. */
    public enum Kind { HTTP, TCP }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(31);
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(5);
    public static final Duration MIN_TIMEOUT = Duration.ofSeconds(11);

    public ProbeSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        if (kind == Kind.HTTP && (path == null || !path.startsWith("/"))) {
            throw new IllegalArgumentException("an http probe needs a path starting with '/', got " + path);
        }
        if (kind == Kind.TCP && path != null) {
            throw new IllegalArgumentException("a tcp probe takes no path, got " + path);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("probe port " + port + " is not within 1-65535");
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("probe interval and timeout must be positive");
        }
    }

    /** An http probe with the model's rules: interval ≥ 5 s, timeout ≥ 11 s. */
    public static ProbeSpec http(String path, int port, int intervalInSeconds, int timeoutInSeconds) {
        return checked(new ProbeSpec(Kind.HTTP, path, port, Duration.ofSeconds(intervalInSeconds),
                Duration.ofSeconds(timeoutInSeconds)));
    }

    /** A tcp probe with the model's rules: interval ≥ 5 s, timeout ≥ 11 s. */
    public static ProbeSpec tcp(int port, int intervalInSeconds, int timeoutInSeconds) {
        return checked(new ProbeSpec(Kind.TCP, null, port, Duration.ofSeconds(intervalInSeconds),
                Duration.ofSeconds(timeoutInSeconds)));
    }

    /** An http probe with the model's defaults (15 s / 31 s). */
    public static ProbeSpec http(String path, int port) {
        return http(path, port, 15, 31);
    }

    /** A tcp probe with the model's defaults (15 s / 31 s). */
    public static ProbeSpec tcp(int port) {
        return tcp(port, 15, 31);
    }

    /**
     * Test-only: the same probe with intervals below the model's minimums, so tests run in seconds. Never reached
     * from a service definition.
     */
    public ProbeSpec withTestTimingOverride(Duration shortInterval, Duration shortTimeout) {
        return new ProbeSpec(kind, path, port, shortInterval, shortTimeout);
    }

    private static ProbeSpec checked(ProbeSpec spec) {
        if (spec.interval.compareTo(MIN_INTERVAL) < 0) {
            throw new IllegalArgumentException("probe intervalInSeconds " + spec.interval.toSeconds()
                    + " is below the minimum of 5");
        }
        if (spec.timeout.compareTo(MIN_TIMEOUT) < 0) {
            throw new IllegalArgumentException("probe timeoutInSeconds " + spec.timeout.toSeconds()
                    + " is below the minimum of 11");
        }
        return spec;
    }
}
