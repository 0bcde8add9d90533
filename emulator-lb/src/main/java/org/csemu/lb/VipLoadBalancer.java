package org.csemu.lb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.csemu.lb.core.Backend;
import org.csemu.lb.core.ListenerBase;
import org.csemu.lb.net.PortBinder;
import org.csemu.lb.net.Transport;
import org.csemu.lb.probe.Prober;
import org.csemu.lb.tcp.TcpListener;
import org.csemu.lb.udp.UdpListener;

/**
 * The VIP load balancer: one layer-4 listener per input endpoint, forwarding each new connection to a backend in
 * rotation. The fabric drives it and it knows nothing of service definitions: the fabric adds a listener per
 * endpoint ({@link #addListener(ListenerSpec)}), a backend per role instance ({@link BoundListener#addBackend}), and
 * flips {@link BackendHandle#setEligible(boolean)} as instances become Ready or leave. Thread-safe.
 *
 * <pre>{@code
 * try (VipLoadBalancer lb = VipLoadBalancer.start(VipLoadBalancer.Options.defaults())) {
 *     BoundListener web = lb.addListener(ListenerSpec.tcp("WebRole1/HttpIn").port(80)
 *             .probe(ProbeSpec.http("/health", 0)).build());      // web.port() may be 8080
 *     BackendHandle in0 = web.addBackend("WebRole1_IN_0", "127.255.0.1", 80);
 *     in0.setEligible(true);                                      // Ready: joins once its probe passes
 * }
 * }</pre>
 */
public final class VipLoadBalancer implements LoadBalancer {

    /**
     * @param eventLoops           event-loop threads (each gets its own listening socket with epoll)
     * @param allowPrivilegedPorts bind ports below 1024 when declared (else they move, {@code 80 -> 8080})
     * @param preferNativeTransport use epoll where it loads
     */
    public record Options(int eventLoops, boolean allowPrivilegedPorts, boolean preferNativeTransport) {
        public static Options defaults() {
            return new Options(Math.max(1, Runtime.getRuntime().availableProcessors()), false, true);
        }
    }

    private final Options options;
    private final Transport transport;
    private final Map<String, ListenerBase> listeners = new LinkedHashMap<>();
    private boolean closed;

    private VipLoadBalancer(Options options) {
        this.options = options;
        this.transport = Transport.create(options.eventLoops(), options.preferNativeTransport());
    }

    public static VipLoadBalancer start(Options options) {
        return new VipLoadBalancer(options);
    }

    public static VipLoadBalancer start() {
        return start(Options.defaults());
    }

    /** "epoll" or "nio". */
    @Override
    public String transportName() {
        return transport.name();
    }

    /**
     * Binds a listener: the declared port or the next free one (or the first free port of a range) and starts
     * forwarding. It has no backends yet, so connections are refused until one is in rotation.
     *
     * @throws IllegalArgumentException when the name is already used
     * @throws PortUnavailableException when no port can be bound
     */
    @Override
    public synchronized BoundListener addListener(ListenerSpec spec) {
        if (closed) {
            throw new IllegalStateException("the load balancer is closed");
        }
        if (listeners.containsKey(spec.name())) {
            throw new IllegalArgumentException("listener " + spec.name() + " already exists");
        }
        BiFunction<Backend, ListenerBase, AutoCloseable> probes = (b, l) -> Prober.start(l.spec().probe(), b,
                transport);
        ListenerBase listener = PortBinder.bind(spec.address(), spec.protocol(), spec.port(),
                options.allowPrivilegedPorts(), port -> spec.protocol() == Protocol.TCP
                        ? TcpListener.bind(spec, transport, port, probes)
                        : UdpListener.bind(spec, transport, port, probes));
        listeners.put(spec.name(), listener);
        return listener;
    }

    /** Unbinds a listener and closes its connections. Returns false when there was none by that name. */
    @Override
    public synchronized boolean removeListener(String name) {
        ListenerBase l = listeners.remove(name);
        if (l == null) {
            return false;
        }
        l.close();
        return true;
    }

    @Override
    public synchronized void swapPorts(String a, String b) {
        ListenerBase la = listeners.get(a);
        ListenerBase lb = listeners.get(b);
        if (la == null || lb == null) {
            throw new IllegalArgumentException("no listener " + (la == null ? a : b));
        }
        ListenerBase.exchangeSockets(la, lb);
    }

    @Override
    public synchronized Optional<BoundListener> listener(String name) {
        return Optional.ofNullable(listeners.get(name));
    }

    @Override
    public synchronized List<BoundListener> listeners() {
        return new ArrayList<>(listeners.values());
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ListenerBase l : listeners.values()) {
            l.close();
        }
        listeners.clear();
        transport.close();
    }
}
