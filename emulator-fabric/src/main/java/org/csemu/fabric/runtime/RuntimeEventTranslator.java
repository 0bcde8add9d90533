package org.csemu.fabric.runtime;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.RuntimeEvents;
import org.csemu.fabric.vm.DomainState;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorEvent;
import org.csemu.fabric.vm.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what happens on its own — a libvirt lifecycle event, a guest-agent message — into {@link RuntimeEvent}s,
 * delivered in order on one dispatcher thread, at once (a killed QEMU arrives as a libvirt STOPPED/FAILED event in
 * tens of milliseconds under the host setup's subreaper; nothing here polls for it).
 *
 * <p>Stops the runtime causes itself are marked ({@link #expectStop}) before they happen and never reported; a stop
 * event that arrives after the domain already runs again is stale and dropped. Heartbeats of a silenced instance
 * (the {@code agent-hang} fault) are dropped.
 */
final class RuntimeEventTranslator implements RuntimeEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeEventTranslator.class);

    private final Hypervisor hypervisor;
    private final List<Consumer<RuntimeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csemu-runtime-events");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, InstanceRef> byDomain = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final Set<InstanceRef> silenced = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> awaitedCrashes = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;

    RuntimeEventTranslator(Hypervisor hypervisor) {
        this.hypervisor = hypervisor;
        this.subscription = hypervisor.subscribe(this::onHypervisorEvent);
    }

    @Override
    public void subscribe(Consumer<RuntimeEvent> listener) {
        listeners.add(listener);
    }

    /** Report events of this domain from now on. */
    void track(InstanceDomain domain) {
        byDomain.put(domain.name(), domain.ref());
    }

    /**
     * The domain boots a fresh guest: an injected agent hang (its heartbeats dropped here) lasts until the recycle
     * that heals it, not forever.
     */
    void booting(InstanceDomain domain) {
        track(domain);
        silenced.remove(domain.ref());
    }

    /** The domain is gone: forget it and its marks. */
    void forget(InstanceDomain domain) {
        byDomain.remove(domain.name());
        stopping.remove(domain.name());
        silenced.remove(domain.ref());
    }

    /** The runtime is about to stop this domain itself: its stop event is not a crash. */
    void expectStop(InstanceDomain domain) {
        stopping.add(domain.name());
    }

    /** The runtime is about to start this domain: a stop from now on is reported. */
    void clearStop(InstanceDomain domain) {
        stopping.remove(domain.name());
    }

    /** Drop this instance's heartbeats (the {@code agent-hang} fault). */
    void silence(InstanceRef ref) {
        silenced.add(ref);
    }

    /** A latch counted down when libvirt reports this domain crashed (a fault waits on it); {@link #endAwait}. */
    CountDownLatch awaitCrash(InstanceDomain domain) {
        CountDownLatch latch = new CountDownLatch(1);
        awaitedCrashes.put(domain.name(), latch);
        return latch;
    }

    void endAwait(InstanceDomain domain, CountDownLatch latch) {
        awaitedCrashes.remove(domain.name(), latch);
    }

    void onAgentMessage(InstanceRef ref, AgentMessage m) {
        RuntimeEvent e = null;
        if (m instanceof AgentMessage.Hello h) {
            e = new RuntimeEvent.AgentHello(ref, h.header().boot(), h.firstBoot());
        } else if (m instanceof AgentMessage.Setup s && s.restart()) {
            e = new RuntimeEvent.SetupRestart(ref);
        } else if (m instanceof AgentMessage.Task t && t.failed()) {
            e = new RuntimeEvent.TaskFailed(ref, t.index(), t.exitCode() == null ? -1 : t.exitCode(), t.outputTail());
        } else if (m instanceof AgentMessage.Status s) {
            if ("Recycle".equalsIgnoreCase(s.status())) {
                e = new RuntimeEvent.RecycleRequested(ref);
            } else {
                e = status(s.status()).<RuntimeEvent>map(st -> new RuntimeEvent.Status(ref, st, s.reason()))
                        .orElse(null);
            }
        } else if (m instanceof AgentMessage.Heartbeat hb && !silenced.contains(ref)) {
            e = status(hb.status()).<RuntimeEvent>map(st -> new RuntimeEvent.Heartbeat(ref, st)).orElse(null);
        }
        if (e != null) {
            RuntimeEvent event = e;
            dispatcher.execute(() -> deliver(event));
        }
    }

    private void onHypervisorEvent(HypervisorEvent event) {
        InstanceRef ref = event.domainName() == null ? null : byDomain.get(event.domainName());
        if (ref == null) {
            return;
        }
        if (event.kind() != HypervisorEvent.Kind.CRASHED && event.kind() != HypervisorEvent.Kind.STOPPED) {
            return;
        }
        CountDownLatch crashAwaited = awaitedCrashes.get(event.domainName());
        if (crashAwaited != null && event.kind() == HypervisorEvent.Kind.CRASHED) {
            crashAwaited.countDown();
        }
        if (stopping.contains(event.domainName())) {
            return;
        }
        RuntimeEvent.Crashed crashed = new RuntimeEvent.Crashed(ref, GuestPanic.describe(event));
        // checked on the dispatcher, not on libvirt's event thread: a stop event of a domain that already runs
        // again (the runtime restarted it meanwhile) is stale
        dispatcher.execute(() -> {
            try {
                if (!stopping.contains(event.domainName()) && isActive(event.domainName())) {
                    LOG.debug("{}: stale {} event dropped", ref, event.kind());
                    return;
                }
            } catch (HypervisorException e) {
                LOG.debug("{}: state unknown ({}); reporting the stop", ref, e.getMessage());
            }
            if (!stopping.contains(event.domainName())) {
                deliver(crashed);
            }
        });
    }

    private boolean isActive(String domain) throws HypervisorException {
        Optional<DomainState> s = hypervisor.state(domain);
        return s.isPresent() && s.get().isActive();
    }

    private void deliver(RuntimeEvent event) {
        for (Consumer<RuntimeEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("runtime event listener failed on {}: {}", event, e.getMessage(), e);
            }
        }
    }

    private static Optional<RuntimeEvent.AgentStatus> status(String s) {
        if ("Ready".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.READY);
        }
        if ("Busy".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.BUSY);
        }
        if ("NotRunnable".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.NOT_RUNNABLE);
        }
        if ("Starting".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.STARTING);
        }
        return Optional.empty();
    }

    /** Stop listening to libvirt and deliver what is queued. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("unsubscribe: {}", e.getMessage());
        }
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
