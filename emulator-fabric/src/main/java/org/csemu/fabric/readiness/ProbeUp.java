package org.csemu.fabric.readiness;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.csemu.lb.BackendHandle;

/**
 * The load balancer has the backends in rotation: eligible (the fabric says Ready) and, where the endpoint declares
 * a probe, the probe up. Not yet names each backend that is out and its probe's state.
 */
public final class ProbeUp implements Ready {

    private final Callable<List<BackendHandle>> backends;

    private ProbeUp(Callable<List<BackendHandle>> backends) {
        this.backends = backends;
    }

    /** Ready when {@code backends} returns at least one backend and all are in rotation. */
    public static ProbeUp of(Callable<List<BackendHandle>> backends) {
        return new ProbeUp(backends);
    }

    @Override
    public Status check() throws Exception {
        List<BackendHandle> now = backends.call();
        if (now.isEmpty()) {
            return Status.notYet("no backends");
        }
        String out = now.stream().filter(b -> !b.inRotation())
                .map(b -> b.id() + (b.eligible() ? "" : " not eligible") + " probe " + b.probeStatus().state())
                .collect(Collectors.joining(", "));
        return out.isEmpty() ? Status.ready() : Status.notYet(out);
    }
}
