package org.csemu.fabric.service;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.InputEndpoint;
import org.csemu.core.model.InternalEndpoint;
import org.csemu.core.model.PortRange;

/**
 * The guest ports of an internal endpoint declared with {@code FixedPort} / {@code FixedPortRange} children: the
 * cloud opens <b>every</b> port of them on every instance, so each gets forwards of its own. The first is the
 * endpoint's own forward (named as the endpoint, the port the role environment lists); the k-th is named
 * {@code <endpoint>#<guest port>} and sits on the k-th port of a contiguous block on the instance address and on
 * 127.0.0.1, so a peer finds port k of the list at the listed port + k.
 */
public final class InternalPorts {
    /** Endpoint names are XML names, so this never collides with one (nor with {@code probe:}). */
    public static final char SEPARATOR = '#';

    private InternalPorts() {
    }

    /**
     * Every guest port of the endpoint's FixedPort/FixedPortRange children, in document order without repeats;
     * empty when it has none or names its port in the {@code port} attribute (that port wins, as before).
     */
    public static List<Integer> fixedGuestPorts(InternalEndpoint e) {
        List<Integer> out = new ArrayList<>();
        if (e.port() != InputEndpoint.AUTO_PORT) {
            return out;
        }
        for (PortRange r : e.fixedPorts()) {
            for (int p = r.min(); p <= r.max(); p++) {
                if (!out.contains(p)) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    /** The forward names of all the endpoint's ports: one, or one per port of its fixed ports. */
    public static List<String> forwardNames(InternalEndpoint e) {
        List<Integer> ports = fixedGuestPorts(e);
        List<String> out = new ArrayList<>();
        out.add(e.name());
        for (int k = 1; k < ports.size(); k++) {
            out.add(e.name() + SEPARATOR + ports.get(k));
        }
        return out;
    }
}
