package org.csemu.lb;

import java.util.List;
import java.util.Optional;

/**
 * What the fabric drives: listeners with backends. {@link VipLoadBalancer} is one in this process;
 * {@link org.csemu.lb.remote.RemoteLoadBalancer} drives one in a separate long-lived process (so the VIP outlives
 * the daemon) over a local control socket.
 */
public interface LoadBalancer extends AutoCloseable {

    /** "io_uring", "epoll" or "nio". */
    String transportName();

    /**
     * Binds a listener (see {@link VipLoadBalancer#addListener}).
     *
     * @throws IllegalArgumentException when the name is already used
     * @throws PortUnavailableException when no port can be bound
     */
    BoundListener addListener(ListenerSpec spec);

    /** Unbinds a listener and closes its connections; false when there was none by that name. */
    boolean removeListener(String name);

    Optional<BoundListener> listener(String name);

    List<BoundListener> listeners();

    @Override
    void close();
}
