package org.csemu.fabric.deployment;

import java.time.Duration;

/**
 * The healing knobs. The cloud restarts a guest after 10 minutes without heartbeat; the emulator's default is much
 * shorter because its agent beats every 2 s and developers should not wait that long.
 *
 * @param heartbeatTimeout  no agent message for this long → UnresponsiveRole (also the wait for the first hello)
 * @param unresponsiveGrace how long an instance may stay UnresponsiveRole before it is recycled
 * @param backoffBase       delay before the first recycle after a failed start; doubles with every further failure
 * @param backoffMax        the largest back-off delay
 * @param drainDeadline     how long scale-in and delete wait for connections to drain
 * @param concurrency       at most this many runtime calls at once
 * @param bootTimeout       no agent message this long after a boot started → UnresponsiveRole (the wait for the
 *                          first hello; defaults to {@code heartbeatTimeout})
 * @param configurationChangeTimeout how long a configuration change waits for one instance (to settle before the
 *                          change, to be Ready after a recycle or reimage) before it reports it and walks on
 */
public record HealingPolicy(Duration heartbeatTimeout, Duration unresponsiveGrace, Duration backoffBase,
                            Duration backoffMax, Duration drainDeadline, int concurrency,
                            Duration configurationChangeTimeout, Duration bootTimeout) {

    public HealingPolicy(Duration heartbeatTimeout, Duration unresponsiveGrace, Duration backoffBase,
                         Duration backoffMax, Duration drainDeadline, int concurrency,
                         Duration configurationChangeTimeout) {
        this(heartbeatTimeout, unresponsiveGrace, backoffBase, backoffMax, drainDeadline, concurrency,
                configurationChangeTimeout, heartbeatTimeout);
    }

    /** The cloud waits 30 minutes per instance; a local guest that needs more than 10 is not coming. */
    public static final Duration DEFAULT_CONFIGURATION_CHANGE_TIMEOUT = Duration.ofMinutes(10);

    public HealingPolicy(Duration heartbeatTimeout, Duration unresponsiveGrace, Duration backoffBase,
                         Duration backoffMax, Duration drainDeadline, int concurrency) {
        this(heartbeatTimeout, unresponsiveGrace, backoffBase, backoffMax, drainDeadline, concurrency,
                DEFAULT_CONFIGURATION_CHANGE_TIMEOUT);
    }

    public static HealingPolicy defaults() {
        return new HealingPolicy(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(5),
                Duration.ofMinutes(5), Duration.ofSeconds(30), 4).withBootTimeout(Duration.ofMinutes(2));
    }

    /** The back-off before the recycle that follows the n-th consecutive failed start (n from 1). */
    public Duration backoff(int failures) {
        Duration d = backoffBase;
        for (int i = 1; i < failures && d.compareTo(backoffMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(backoffMax) > 0 ? backoffMax : d;
    }

    public HealingPolicy withConcurrency(int n) {
        return new HealingPolicy(heartbeatTimeout, unresponsiveGrace, backoffBase, backoffMax, drainDeadline, n,
                configurationChangeTimeout, bootTimeout);
    }

    /**
     * The same policy with another deadline for the first agent message after a boot: a guest that boots slowly
     * (TCG on a busy host) is not a hung guest, so the boot may get longer than the heartbeat timeout, while a hang
     * of a running guest is still found after {@code heartbeatTimeout}.
     */
    public HealingPolicy withBootTimeout(Duration timeout) {
        return new HealingPolicy(heartbeatTimeout, unresponsiveGrace, backoffBase, backoffMax, drainDeadline,
                concurrency, configurationChangeTimeout, timeout);
    }
}
