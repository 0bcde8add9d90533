package org.csemu.lb.remote;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.csemu.lb.ListenerSpec;
import org.csemu.lb.PortRequest;

/**
 * What one controller declared to the LB process — listeners, their backends, each backend's eligibility — in
 * declaration order, so that a new LB process (after the old one died) can be given exactly the same again.
 */
final class Declarations {

    private record Backend(String host, int port, Boolean eligible) {
    }

    private record Listener(ListenerSpec spec, int boundPort) {
    }

    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private final Map<String, Map<String, Backend>> backends = new LinkedHashMap<>();

    synchronized void listener(ListenerSpec spec, int boundPort) {
        listeners.put(spec.name(), new Listener(spec, boundPort));
        backends.computeIfAbsent(spec.name(), k -> new LinkedHashMap<>());
    }

    /** After a VIP swap: each listener asks, in a new process, for the port the other had. */
    synchronized void swapPorts(String a, String b) {
        Listener la = listeners.get(a);
        Listener lb = listeners.get(b);
        if (la != null && lb != null) {
            listeners.put(a, new Listener(la.spec().withPort(lb.spec().port()), lb.boundPort()));
            listeners.put(b, new Listener(lb.spec().withPort(la.spec().port()), la.boundPort()));
        }
    }

    synchronized void removeListener(String name) {
        listeners.remove(name);
        backends.remove(name);
    }

    synchronized void backend(String listener, String id, String host, int port) {
        Map<String, Backend> of = backends.computeIfAbsent(listener, k -> new LinkedHashMap<>());
        Backend before = of.get(id);
        of.put(id, new Backend(host, port, before != null && before.host().equals(host) && before.port() == port
                ? before.eligible() : null));
    }

    synchronized void removeBackend(String listener, String id) {
        Map<String, Backend> of = backends.get(listener);
        if (of != null) {
            of.remove(id);
        }
    }

    synchronized void eligible(String listener, String id, boolean eligible) {
        Map<String, Backend> of = backends.get(listener);
        Backend b = of == null ? null : of.get(id);
        if (b != null) {
            of.put(id, new Backend(b.host(), b.port(), eligible));
        }
    }

    /**
     * Sends every declaration again through {@code call} (one request, its reply); returns how many it sent. To a new
     * process ({@code onTheSamePorts}) each listener asks for the port it had, so clients find the VIP where it was;
     * to the same process the declarations are the original ones, which it adopts as they are.
     */
    synchronized int replay(Function<Object[], Iterator<String>> call, boolean onTheSamePorts) {
        int n = 0;
        for (Listener l : listeners.values()) {
            ListenerSpec spec = l.spec();
            ListenerSpec asked = onTheSamePorts ? spec.withPort(PortRequest.preferred(l.boundPort())) : spec;
            int port = Integer.parseInt(call.apply(new Object[] {"LISTEN", asked}).next());
            if (port != l.boundPort()) {
                System.getLogger(Declarations.class.getName()).log(System.Logger.Level.WARNING, "VIP listener "
                        + spec.name() + " is back on port " + port + ", not " + l.boundPort() + " (taken meanwhile)");
            }
            n++;
            for (Map.Entry<String, Backend> e : backends.getOrDefault(spec.name(), Map.of()).entrySet()) {
                Backend b = e.getValue();
                call.apply(new Object[] {"BACKEND", spec.name(), e.getKey(), b.host(), b.port()});
                n++;
                if (b.eligible() != null) {
                    call.apply(new Object[] {"ELIGIBLE", spec.name(), e.getKey(), b.eligible()});
                }
            }
        }
        return n;
    }
}
