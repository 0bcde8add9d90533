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

    /**
     * A VIP swap of two listeners of the same protocol and address: they exchange their bound ports, each keeping its
     * backends, probes, ACL and the connections in flight (see {@link org.csemu.lb.core.ListenerBase#exchangeSockets}).
     * After it returns, a new connection to {@code a}'s former port reaches {@code b}'s backends and the other way
     * round; {@link BoundListener#port()} of each is the other's former port.
     *
     * @throws IllegalArgumentException when either listener is unknown, or they differ in protocol or address
     */
    void swapPorts(String a, String b);

    List<BoundListener> listeners();

    @Override
    void close();
}
