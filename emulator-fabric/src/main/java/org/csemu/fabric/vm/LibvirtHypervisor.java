package org.csemu.fabric.vm;

import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.DomainEventType;
import org.libvirt.event.LifecycleListener;
import org.libvirt.event.RebootListener;
import org.libvirt.event.StoppedDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link Hypervisor} over libvirt-java. Events are received on libvirt's event-loop thread and handed to listeners
 * on a separate dispatch thread, so a slow listener never stalls libvirt. When the daemon goes away (restart,
 * crash) the connection is reopened in the background and listeners get {@code CONNECTION_LOST}/{@code RECONNECTED}
 * so they can re-list domains; running guests are unaffected by a daemon restart.
 *
 * <p>Over 400 lines on purpose: every {@link Hypervisor} call is a few lines of libvirt-java with its error
 * translated, and the reconnect logic must see all of them; the XML is {@code DomainXml}'s and the per-instance
 * view is {@code runtime.InstanceDomain}'s.
 */
public final class LibvirtHypervisor implements Hypervisor {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtHypervisor.class);
    private static final int HMP = 1; // VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP
    /**
     * Every connection ever opened stays strongly reachable: libvirt-java 0.5.4 has no removeRebootListener, so
     * libvirt keeps calling the reboot callback of a closed connection; once that Connect (which holds the JNA
     * callback) was garbage-collected, the next reboot event made the event-loop thread jump into freed memory
     * (SIGSEGV in libvirt-event-loop, seen in a full emulator-fabric test run). A few objects per process.
     */
    private static final java.util.List<Connect> KEEP_CALLBACKS_ALIVE = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final String uri;
    private final List<HypervisorListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher;
    private final Object connectLock = new Object();
    private volatile Connect connect;
    private volatile boolean closed;
    private volatile Thread reconnector;
    private final String virtType;

    private final LifecycleListener lifecycle = this::onLifecycle;
    private final RebootListener reboot = domain -> publish(nameOf(domain), HypervisorEvent.Kind.REBOOTED, "REBOOT");

    /** Opens {@code uri} (e.g. {@code qemu:///system}, {@code test:///default}, {@code qemu+ssh://host/system}). */
    public LibvirtHypervisor(String uri) throws HypervisorException {
        this.uri = uri;
        this.dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "csemu-hypervisor-events[" + uri + "]");
            t.setDaemon(true);
            return t;
        });
        try {
            LibvirtEventLoop.ensureRunning();
            this.connect = open();
            this.virtType = Accelerator.choose(uri, connect.getCapabilities());
        } catch (LibvirtException e) {
            dispatcher.shutdownNow();
            throw new HypervisorException("cannot connect to libvirt at " + uri + ": " + e.getMessage()
                    + " (is libvirtd running? see docs/vm-substrate.md)", e);
        }
    }

    private Connect open() throws LibvirtException {
        Connect c = new Connect(uri, false);
        c.addLifecycleListener(lifecycle);
        KEEP_CALLBACKS_ALIVE.add(c);
        c.addRebootListener(reboot);
        try {
            c.registerCloseListener((conn, reason) -> onClosed(reason.toString()));
        } catch (LibvirtException e) {
            LOG.debug("{} does not support close callbacks: {}", uri, e.getMessage());
        }
        return c;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public String virtType() {
        return virtType;
    }

    @Override
    public void defineAndStart(DomainSpec spec) throws HypervisorException {
        define(spec);
        start(spec.name());
    }

    @Override
    public void define(DomainSpec spec) throws HypervisorException {
        String xml = DomainXml.toXml(spec);
        try {
            Domain existing = lookup(spec.name());
            if (existing != null) {
                if (existing.isActive() == 1) {
                    throw new HypervisorException("domain " + spec.name() + " is running; destroy it before redefining");
                }
                existing.undefine();
            }
            connection().domainDefineXML(xml);
        } catch (LibvirtException e) {
            throw failure("define", spec.name(), e);
        }
    }

    @Override
    public void start(String name) throws HypervisorException {
        try {
            require(name).create();
        } catch (LibvirtException e) {
            throw failure("start", name, e);
        }
    }

    @Override
    public void destroy(String name) throws HypervisorException {
        try {
            Domain domain = lookup(name);
            if (domain != null && domain.isActive() == 1) {
                domain.destroy();
            }
        } catch (LibvirtException e) {
            if (e.getError().getCode() == ErrorNumber.VIR_ERR_OPERATION_INVALID) {
                return; // stopped between the check and the destroy
            }
            throw failure("destroy", name, e);
        }
    }

    @Override
    public void undefine(String name) throws HypervisorException {
        try {
            Domain domain = lookup(name);
            if (domain != null) {
                domain.undefine();
            }
        } catch (LibvirtException e) {
            if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return;
            }
            throw failure("undefine", name, e);
        }
    }

    @Override
    public void suspend(String name) throws HypervisorException {
        try {
            require(name).suspend();
        } catch (LibvirtException e) {
            throw failure("suspend", name, e);
        }
    }

    @Override
    public void resume(String name) throws HypervisorException {
        try {
            require(name).resume();
        } catch (LibvirtException e) {
            throw failure("resume", name, e);
        }
    }

    @Override
    public void sendKeys(String name, int... linuxKeyCodes) throws HypervisorException {
        try {
            require(name).sendKey(org.libvirt.KeycodeSet.LINUX, 0, linuxKeyCodes);
        } catch (LibvirtException e) {
            throw failure("send keys to", name, e);
        }
    }

    @Override
    public Optional<DomainState> state(String name) throws HypervisorException {
        try {
            Domain domain = lookup(name);
            return domain == null ? Optional.empty() : Optional.of(map(domain.getInfo().state));
        } catch (LibvirtException e) {
            throw failure("read the state of", name, e);
        }
    }

    @Override
    public List<CsemuDomain> listCsemuDomains() throws HypervisorException {
        List<CsemuDomain> result = new ArrayList<>();
        try {
            for (Domain domain : connection().listAllDomains(0)) {
                String xml;
                try {
                    xml = domain.getXMLDesc(0);
                } catch (LibvirtException e) {
                    if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                        continue; // vanished while listing
                    }
                    throw e;
                }
                Optional<DomainMetadata> metadata = DomainXml.readMetadata(xml);
                if (metadata.isPresent()) {
                    result.add(new CsemuDomain(domain.getName(), domain.getUUIDString(),
                            map(domain.getInfo().state), metadata.get()));
                }
            }
        } catch (LibvirtException e) {
            throw new HypervisorException("cannot list domains on " + uri + ": " + e.getMessage(), e);
        }
        return result;
    }

    @Override
    public OptionalLong qemuPid(String name) throws HypervisorException {
        if (!uri.startsWith("qemu:///")) {
            return OptionalLong.empty();
        }
        Optional<DomainState> state = state(name);
        if (state.isEmpty() || !state.get().isActive()) {
            return OptionalLong.empty();
        }
        List<Path> dirs = uri.startsWith("qemu:///session") ? List.of(SessionLibvirt.current().qemuRunDir())
                : List.of(Path.of("/run/libvirt/qemu"), Path.of("/var/run/libvirt/qemu"));
        for (Path dir : dirs) {
            Path pidFile = dir.resolve(name + ".pid");
            try {
                if (Files.isRegularFile(pidFile)) {
                    return OptionalLong.of(Long.parseLong(Files.readString(pidFile).strip()));
                }
            } catch (IOException | NumberFormatException e) {
                LOG.debug("cannot read {}: {}", pidFile, e.getMessage());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public String monitorCommand(String name, String hmpCommand) throws HypervisorException {
        try {
            return require(name).qemuMonitorCommand(hmpCommand, HMP);
        } catch (LibvirtException e) {
            throw failure("run monitor command '" + hmpCommand + "' on", name, e);
        }
    }

    @Override
    public AutoCloseable subscribe(HypervisorListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
        Thread r = reconnector;
        if (r != null) {
            r.interrupt();
        }
        synchronized (connectLock) {
            Connect c = connect;
            connect = null;
            if (c != null) {
                try {
                    c.removeLifecycleListener(lifecycle);
                } catch (LibvirtException | RuntimeException ignored) {
                    // connection may already be gone
                }
                try {
                    c.unregisterCloseListener();
                } catch (LibvirtException | RuntimeException ignored) {
                    // not supported or already gone
                }
                try {
                    c.close();
                } catch (LibvirtException ignored) {
                    // closing anyway
                }
            }
        }
        dispatcher.shutdown();
    }

    private Connect connection() throws HypervisorException {
        Connect c = connect;
        if (c == null) {
            throw new HypervisorException(closed ? "hypervisor " + uri + " is closed"
                    : "not connected to " + uri + " (libvirtd restarting?); retrying in the background");
        }
        return c;
    }

    private Domain lookup(String name) throws LibvirtException, HypervisorException {
        try {
            return connection().domainLookupByName(name);
        } catch (LibvirtException e) {
            if (e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return null;
            }
            throw e;
        }
    }

    private Domain require(String name) throws LibvirtException, HypervisorException {
        Domain domain = lookup(name);
        if (domain == null) {
            throw new HypervisorException("no domain named " + name + " on " + uri);
        }
        return domain;
    }

    private HypervisorException failure(String action, String name, LibvirtException e) {
        return new HypervisorException("cannot " + action + " domain " + name + " on " + uri + ": " + e.getMessage(), e);
    }

    private int onLifecycle(Domain domain, DomainEvent event) {
        DomainEventType type = event.getType();
        Object detail = event.getDetail();
        HypervisorEvent.Kind kind = switch (type) {
            case DEFINED -> HypervisorEvent.Kind.DEFINED;
            case UNDEFINED -> HypervisorEvent.Kind.UNDEFINED;
            case STARTED -> HypervisorEvent.Kind.STARTED;
            case SUSPENDED, PMSUSPENDED -> HypervisorEvent.Kind.SUSPENDED;
            case RESUMED -> HypervisorEvent.Kind.RESUMED;
            case SHUTDOWN -> HypervisorEvent.Kind.SHUTDOWN;
            case CRASHED -> HypervisorEvent.Kind.CRASHED;
            case STOPPED -> detail == StoppedDetail.FAILED || detail == StoppedDetail.CRASHED
                    ? HypervisorEvent.Kind.CRASHED : HypervisorEvent.Kind.STOPPED;
            default -> null;
        };
        if (kind != null) {
            publish(nameOf(domain), kind, type + "/" + detail);
        }
        return 0;
    }

    private static String nameOf(Domain domain) {
        try {
            return domain.getName();
        } catch (LibvirtException e) {
            return "?";
        }
    }

    private void publish(String domain, HypervisorEvent.Kind kind, String detail) {
        HypervisorEvent event = new HypervisorEvent(uri, domain, kind, detail, Instant.now());
        if (dispatcher.isShutdown()) {
            return;
        }
        dispatcher.execute(() -> {
            for (HypervisorListener listener : listeners) {
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("hypervisor listener failed on {}: {}", event, e.getMessage(), e);
                }
            }
        });
    }

    private void onClosed(String reason) {
        if (closed) {
            return;
        }
        LOG.warn("connection to {} closed ({}); reconnecting", uri, reason);
        synchronized (connectLock) {
            connect = null;
        }
        publish(null, HypervisorEvent.Kind.CONNECTION_LOST, reason);
        Thread t = new Thread(this::reconnectLoop, "csemu-hypervisor-reconnect[" + uri + "]");
        t.setDaemon(true);
        reconnector = t;
        t.start();
    }

    private void reconnectLoop() {
        Poller poller = new Poller(Duration.ofMillis(100), Duration.ofSeconds(2));
        while (!closed) {
            try {
                Connect fresh = poller.until("reconnect to " + uri, Deadline.after(Duration.ofMinutes(1)),
                        () -> closed ? Optional.empty() : Optional.of(open()));
                synchronized (connectLock) {
                    if (closed) {
                        fresh.close();
                        return;
                    }
                    connect = fresh;
                }
                LOG.info("reconnected to {}", uri);
                publish(null, HypervisorEvent.Kind.RECONNECTED, "reconnected");
                return;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("still cannot reconnect to {}: {}", uri, e.getMessage());
            }
        }
    }

    static DomainState map(DomainInfo.DomainState state) {
        return switch (state) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> DomainState.SHUTTING_DOWN;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUT_OFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            case VIR_DOMAIN_PMSUSPENDED -> DomainState.SUSPENDED_TO_MEMORY;
            default -> DomainState.UNKNOWN;
        };
    }
}
