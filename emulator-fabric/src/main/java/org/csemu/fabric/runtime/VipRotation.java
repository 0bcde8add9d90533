package org.csemu.fabric.runtime;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RotationPublisher;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.BackendStats;
import org.csemu.lb.BoundListener;
import org.csemu.lb.LoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's rotation on the real VIP: each input endpoint of a role is one LB listener whose backends are the
 * role's instances at {@code 127.255.x.y:<host port>}; an instance input endpoint is one listener per instance with
 * that instance as its only backend. Eligibility follows the controller ({@code ignoreRoleInstanceStatus} backends
 * are always eligible); the LB's own probe may still hold an eligible backend back. Every change is published to
 * subscribers, in order, once the LB has applied it.
 */
public final class VipRotation implements RotationPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(VipRotation.class);

    /** An input endpoint's listener. */
    public record EndpointListener(String deploymentId, String role, String endpoint, boolean ignoreRoleInstanceStatus,
                                   BoundListener listener) {
    }

    private final LoadBalancer lb;
    private final Map<String, List<EndpointListener>> byDeployment = new ConcurrentHashMap<>();
    private final Map<InstanceRef, List<BoundListener>> instanceListeners = new ConcurrentHashMap<>();
    private final Set<InstanceRef> eligible = ConcurrentHashMap.newKeySet();
    private final List<Consumer<RotationChange>> subscribers = new CopyOnWriteArrayList<>();

    public VipRotation(LoadBalancer lb) {
        this.lb = lb;
    }

    public LoadBalancer loadBalancer() {
        return lb;
    }

    public void subscribe(Consumer<RotationChange> subscriber) {
        subscribers.add(subscriber);
    }

    public void unsubscribe(Consumer<RotationChange> subscriber) {
        subscribers.remove(subscriber);
    }

    public synchronized void addEndpointListener(EndpointListener l) {
        byDeployment.computeIfAbsent(l.deploymentId(), k -> new CopyOnWriteArrayList<>()).add(l);
    }

    /**
     * Read the deployment's listeners back from the LB (after a swap moved their ports: a remote LB's handles keep
     * the port they were created with).
     */
    public synchronized void refreshEndpointListeners(String deploymentId) {
        List<EndpointListener> ls = byDeployment.get(deploymentId);
        if (ls == null) {
            return;
        }
        List<EndpointListener> fresh = new ArrayList<>();
        for (EndpointListener l : ls) {
            BoundListener now = lb.listener(l.listener().spec().name()).orElse(l.listener());
            fresh.add(new EndpointListener(l.deploymentId(), l.role(), l.endpoint(), l.ignoreRoleInstanceStatus(),
                    now));
        }
        byDeployment.put(deploymentId, new CopyOnWriteArrayList<>(fresh));
    }

    public List<EndpointListener> endpointListeners(String deploymentId) {
        return List.copyOf(byDeployment.getOrDefault(deploymentId, List.of()));
    }

    public List<BoundListener> instanceListeners(InstanceRef ref) {
        return List.copyOf(instanceListeners.getOrDefault(ref, List.of()));
    }

    /** Add the instance as a backend of its role's listeners (idempotent), eligible as the controller last said. */
    public synchronized void addBackends(InstanceRef ref, String address, Map<String, Integer> hostPorts) {
        for (EndpointListener l : byDeployment.getOrDefault(ref.deploymentId(), List.of())) {
            if (!l.role().equals(ref.roleName())) {
                continue;
            }
            boolean present = l.listener().backends().stream().anyMatch(b -> b.id().equals(ref.instanceId()));
            // declared even when present: an adopted LB process keeps what is declared again (with its eligibility,
            // the last rotation) and reconciles the rest away
            BackendHandle b = l.listener().addBackend(ref.instanceId(), address, hostPorts.get(l.endpoint()));
            if (!present) {
                b.setEligible(l.ignoreRoleInstanceStatus() || eligible.contains(ref));
            }
        }
    }

    /** An instance input endpoint's own listener (the instance is its only backend). */
    public synchronized void addInstanceListener(InstanceRef ref, BoundListener listener, String address, int hostPort) {
        List<BoundListener> list = instanceListeners.computeIfAbsent(ref, k -> new CopyOnWriteArrayList<>());
        if (list.stream().noneMatch(l -> l.spec().name().equals(listener.spec().name()))) {
            list.add(listener);
            boolean adopted = listener.backends().stream().anyMatch(b -> b.id().equals(ref.instanceId()));
            BackendHandle b = listener.addBackend(ref.instanceId(), address, hostPort);
            if (!adopted) {
                b.setEligible(eligible.contains(ref));
            }
        }
    }

    /** Every backend handle of the instance (role listeners and its own). */
    public List<BackendHandle> handles(InstanceRef ref) {
        List<BackendHandle> out = new ArrayList<>();
        for (EndpointListener l : byDeployment.getOrDefault(ref.deploymentId(), List.of())) {
            l.listener().backends().stream().filter(b -> b.id().equals(ref.instanceId())).forEach(out::add);
        }
        for (BoundListener l : instanceListeners.getOrDefault(ref, List.of())) {
            out.addAll(l.backends());
        }
        return out;
    }

    /** The LB's counters of the instance, per endpoint name (its role's input endpoints and its own). */
    public Map<String, BackendStats> backendStats(InstanceRef ref) {
        Map<String, BackendStats> out = new java.util.LinkedHashMap<>();
        for (EndpointListener l : byDeployment.getOrDefault(ref.deploymentId(), List.of())) {
            if (l.role().equals(ref.roleName())) {
                l.listener().backends().stream().filter(b -> b.id().equals(ref.instanceId()))
                        .forEach(b -> out.put(l.endpoint(), b.stats()));
            }
        }
        for (BoundListener l : instanceListeners.getOrDefault(ref, List.of())) {
            String name = l.spec().name();
            l.backends().forEach(b -> out.put(name.substring(name.lastIndexOf('/') + 1), b.stats()));
        }
        return out;
    }

    @Override
    public void putInRotation(InstanceRef ref) {
        setEligible(ref, true);
    }

    @Override
    public void takeOutOfRotation(InstanceRef ref) {
        setEligible(ref, false);
    }

    private void setEligible(InstanceRef ref, boolean value) {
        synchronized (this) {
            if (value) {
                eligible.add(ref);
            } else {
                eligible.remove(ref);
            }
            for (EndpointListener l : byDeployment.getOrDefault(ref.deploymentId(), List.of())) {
                if (l.role().equals(ref.roleName()) && !l.ignoreRoleInstanceStatus()) {
                    l.listener().backends().stream().filter(b -> b.id().equals(ref.instanceId()))
                            .forEach(b -> b.setEligible(value));
                }
            }
            for (BoundListener l : instanceListeners.getOrDefault(ref, List.of())) {
                l.backends().forEach(b -> b.setEligible(value));
            }
        }
        RotationChange change = new RotationChange(Instant.now(), System.nanoTime(), ref, value);
        LOG.info("{} {} rotation", ref, value ? "in" : "out of");
        for (Consumer<RotationChange> s : subscribers) {
            try {
                s.accept(change);
            } catch (RuntimeException e) {
                LOG.warn("rotation subscriber failed: {}", e.getMessage(), e);
            }
        }
    }

    public boolean isEligible(InstanceRef ref) {
        return eligible.contains(ref);
    }

    @Override
    public void drain(InstanceRef ref, Duration deadline) {
        try {
            Poller.standard().until("connections of " + ref + " to drain", Deadline.after(deadline),
                    () -> handles(ref).stream().allMatch(b -> b.stats().active() == 0));
        } catch (TimeoutException e) {
            LOG.info("{}: connections still open after the drain deadline {}; deleting anyway", ref, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void remove(InstanceRef ref) {
        eligible.remove(ref);
        for (EndpointListener l : byDeployment.getOrDefault(ref.deploymentId(), List.of())) {
            if (l.role().equals(ref.roleName())) {
                l.listener().removeBackend(ref.instanceId());
            }
        }
        List<BoundListener> own = instanceListeners.remove(ref);
        if (own != null) {
            own.forEach(l -> lb.removeListener(l.spec().name()));
        }
    }

    /** Close every listener of a deleted deployment. */
    public synchronized void removeDeployment(String deploymentId) {
        List<EndpointListener> ls = byDeployment.remove(deploymentId);
        if (ls != null) {
            ls.forEach(l -> lb.removeListener(l.listener().spec().name()));
        }
        for (InstanceRef ref : List.copyOf(instanceListeners.keySet())) {
            if (ref.deploymentId().equals(deploymentId)) {
                remove(ref);
            }
        }
    }
}
