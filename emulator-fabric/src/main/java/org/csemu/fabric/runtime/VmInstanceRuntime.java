package org.csemu.fabric.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.csemu.fabric.agent.AgentChannel;
import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.api.TerminalSession;
import org.csemu.fabric.disk.ConfigDriveWriter;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.disk.LocalStorageDisk;
import org.csemu.fabric.disk.OverlayDisk;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.spi.ConfigurationChange;
import org.csemu.fabric.spi.ConfigurationChangeOutcome;
import org.csemu.fabric.spi.DiskPlan;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.FaultInjector;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.RuntimeEvents;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.ShutdownMode;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainMetadata;
import org.csemu.fabric.vm.DomainState;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's substrate over libvirt (one {@link Hypervisor}), the disks and the guest-agent channels. It boots
 * from the complete plan in the {@link InstanceSpec} it is handed and never reads the controller's model. Every port
 * call is synchronous and idempotent. Its parts: an {@link InstanceDomain} per call (the instance's name, files and
 * libvirt calls), {@link RuntimeEventTranslator} (libvirt and agent events to {@link RuntimeEvent}s),
 * {@link AgentChannels} (the host ends of the agent channels) and {@link VmFaults} (injected faults).
 */
public final class VmInstanceRuntime implements InstanceRuntime, RuntimeEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmInstanceRuntime.class);
    /** How long the guest's Changing/Changed hooks may take before the change falls back to a recycle. */
    private static final Duration CHANGE_ACK_TIMEOUT = Duration.ofMinutes(2);

    private final Hypervisor hypervisor;
    private final Path dataDir;
    private final String fabricId;
    private final Duration gracefulStop;
    private final RuntimeEventTranslator events;
    private final AgentChannels channels;
    private final VmFaults faults;
    private final Map<InstanceRef, Object> locks = new ConcurrentHashMap<>();
    /** The open {@code csemu shell} per instance: a guest has one terminal. */
    private final Map<InstanceRef, GuestTerminal> terminals = new ConcurrentHashMap<>();

    /**
     * @param fabricId the data directory's id, written into every domain's metadata; {@link #list} reports only
     *                 this fabric's domains as adoptable
     */
    public VmInstanceRuntime(Hypervisor hypervisor, Path dataDir, String fabricId, Duration gracefulStop) {
        this.hypervisor = hypervisor;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.fabricId = fabricId;
        this.gracefulStop = gracefulStop;
        this.events = new RuntimeEventTranslator(hypervisor);
        this.channels = new AgentChannels(events::onAgentMessage);
        this.faults = new VmFaults(this::domain, events);
    }

    public Hypervisor hypervisor() {
        return hypervisor;
    }

    /** The faults injected into this runtime's VMs. */
    public FaultInjector faults() {
        return faults;
    }

    // ---- InstanceRuntime

    @Override
    public void boot(InstanceSpec spec, DiskPlan plan) {
        InstanceRef ref = spec.ref();
        synchronized (lock(ref)) {
            if (faults.consumeFailNextBoot(ref)) {
                throw new RuntimeOperationException(ref + ": boot failed (injected fault FAIL_NEXT_BOOT)");
            }
            InstancePlan p = requirePlan(spec);
            InstanceDomain domain = domain(ref);
            events.booting(domain);
            InstancePaths paths = domain.paths();
            try {
                domain.destroyAndWait(() -> events.expectStop(domain));
                Files.createDirectories(paths.dir());
                Optional<InstanceFile> before = domain.readInstanceFile();
                if (plan.overlay() == DiskPlan.OverlayAction.NEW || !Files.isRegularFile(paths.osDisk())) {
                    OverlayDisk.create(p.image().disk(), p.image().diskFormat(), paths.osDisk());
                }
                if (plan.localStorage() == DiskPlan.LocalStorageAction.NEW) {
                    LocalStorageDisk.create(paths.localDisk(), p.localDiskSizeMiB());
                } else {
                    LocalStorageDisk.ensure(paths.localDisk(), p.localDiskSizeMiB());
                }
                boolean recycled = before.map(f -> f.recycleGeneration() != spec.recycleGeneration()).orElse(true);
                boolean writeDrive = plan.configDrive() == DiskPlan.ConfigDriveAction.REBUILD || recycled
                        || !plan.wipedResources().isEmpty() || !Files.isRegularFile(paths.configDrive());
                if (writeDrive) {
                    // a recycle writes the drive from the plan: the new recycle id, and whatever the stored
                    // configuration changed since the last boot (a certificate change recycles to deliver it).
                    // The wipe flags are the plan's decision (DiskPolicy), carried out by the agent once per recycle
                    new ConfigDriveWriter().write(p.configDrive().withWiped(plan.wipedResources()),
                            paths.configDrive());
                }
                domain.writeInstanceFile(new InstanceFile(p.dataDirId(), ref.deploymentId(), ref.roleName(),
                        ref.instanceId(), spec.overlayGeneration(), spec.recycleGeneration()));
                domain.define(domain.definition(p, spec.overlayGeneration()));
                channels.ensure(domain);
                events.clearStop(domain);
                domain.start();
                LOG.info("{}: started {} (overlay {}, local {}, config drive {})", ref, domain.name(), plan.overlay(),
                        plan.localStorage(), writeDrive ? "written" : "kept");
            } catch (HypervisorException | IOException e) {
                throw new RuntimeOperationException(ref + ": cannot start domain " + domain.name() + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while booting", e);
            }
        }
    }

    @Override
    public void shutdown(InstanceRef ref, ShutdownMode mode) {
        synchronized (lock(ref)) {
            InstanceDomain domain = domain(ref);
            events.track(domain);
            events.expectStop(domain);
            try {
                if (!domain.isActive()) {
                    return;
                }
                if (mode == ShutdownMode.GRACEFUL) {
                    Optional<AgentChannel> c = channels.connected(ref);
                    if (c.isPresent()) {
                        try {
                            c.get().sendStopping("poweroff");
                            domain.awaitPowerOff(gracefulStop);
                            return;
                        } catch (IOException | TimeoutException e) {
                            LOG.info("{}: graceful stop did not finish ({}); destroying", ref, e.getMessage());
                        }
                    }
                }
                domain.destroyAndWait(() -> events.expectStop(domain));
            } catch (HypervisorException e) {
                throw new RuntimeOperationException(ref + ": cannot stop " + domain.name() + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while stopping", e);
            }
        }
    }

    @Override
    public void delete(InstanceRef ref) {
        synchronized (lock(ref)) {
            InstanceDomain domain = domain(ref);
            events.expectStop(domain);
            try {
                domain.destroyAndWait(() -> events.expectStop(domain));
                domain.undefine();
            } catch (HypervisorException e) {
                throw new RuntimeOperationException(ref + ": cannot delete domain " + domain.name() + ": "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while deleting", e);
            }
            channels.close(ref);
            domain.deleteFiles();
            events.forget(domain);
        }
        locks.remove(ref);
    }

    /**
     * Runs a command in the guest through its agent ({@code csemu exec}): output lines to {@code output}, the future
     * completes with the exit code. Refused when no agent is connected (the guest is not running).
     */
    public CompletableFuture<Integer> exec(InstanceRef ref, String command, boolean elevated, byte[] stdin,
            Consumer<String> output) {
        AgentChannel c = channels.connected(ref).orElseThrow(() -> new RuntimeOperationException(ref.instanceId()
                + ": no guest agent is connected (the guest is not running or still booting); try again when it is"));
        try {
            return c.exec(command, elevated, stdin, output);
        } catch (IOException e) {
            throw new RuntimeOperationException(ref.instanceId() + ": cannot send the command to the guest agent: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Opens an interactive shell on the guest's terminal ({@code csemu shell}), {@code rows} x {@code cols}, as the
     * role's user unless {@code elevated}. Refused when no agent is connected, or when a shell is already open on
     * this instance (its one terminal is taken).
     */
    public TerminalSession openTerminal(InstanceRef ref, boolean elevated, int rows, int cols) {
        AgentChannel c = channels.connected(ref).orElseThrow(() -> new RuntimeOperationException(ref.instanceId()
                + ": no guest agent is connected (the guest is not running or still booting); try again when it is"));
        synchronized (terminals) {
            if (terminals.containsKey(ref)) {
                throw new TerminalBusyException(ref.instanceId() + ": a shell is already open on this instance (a"
                        + " guest has one terminal); close it first, or use csemu exec");
            }
            GuestTerminal[] self = new GuestTerminal[1];
            GuestTerminal t = GuestTerminal.open(domain(ref).terminalSocket(), c, ref.instanceId(), elevated, rows,
                    cols, () -> terminals.remove(ref, self[0]));
            self[0] = t;
            terminals.put(ref, t);
            return t;
        }
    }

    @Override
    public ConfigurationChangeOutcome changeConfiguration(InstanceSpec spec, List<ConfigurationChange> changes) {
        InstanceRef ref = spec.ref();
        synchronized (lock(ref)) {
            InstancePlan p = requirePlan(spec);
            InstanceDomain domain = domain(ref);
            InstancePaths paths = domain.paths();
            List<Map<String, String>> wire = changes.stream().map(ConfigurationChange::toWire).toList();
            try {
                if (!domain.activeQuietly()) {
                    if (Files.isDirectory(paths.dir())) {
                        new ConfigDriveWriter().write(p.configDrive(), paths.configDrive());
                    }
                    return ConfigurationChangeOutcome.NOT_RUNNING;
                }
                Optional<AgentChannel> channel = channels.connected(ref);
                if (channel.isEmpty()) {
                    LOG.info("{}: no agent connection for a configuration change; the instance is recycled", ref);
                    return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
                }
                AgentChannel c = channel.get();
                AgentMessage.Ack changing = c.sendChanging(wire).get(CHANGE_ACK_TIMEOUT.toMillis(),
                        TimeUnit.MILLISECONDS);
                if (changing.cancel()) {
                    LOG.info("{}: the role cancelled Changing {}; the instance is recycled", ref, changes);
                    return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
                }
                if (!new ConfigDriveWriter().rewriteInPlace(p.configDrive(), paths.configDrive())) {
                    LOG.info("{}: the new configuration does not fit the attached drive; the instance is recycled", ref);
                    return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
                }
                c.sendChanged(wire).get(CHANGE_ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.info("{}: configuration change {} applied in place", ref, changes);
                return ConfigurationChangeOutcome.APPLIED;
            } catch (TimeoutException | ExecutionException e) {
                LOG.info("{}: the agent did not acknowledge the configuration change ({}); the instance is recycled",
                        ref, e.toString());
                return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
            } catch (IOException e) {
                throw new RuntimeOperationException(ref + ": cannot apply the configuration change: " + e.getMessage(),
                        e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while changing the configuration", e);
            }
        }
    }

    @Override
    public List<DomainInfo> list() {
        List<DomainInfo> out = new ArrayList<>();
        Set<InstanceRef> withDomain = new HashSet<>();
        try {
            for (CsemuDomain d : hypervisor.listCsemuDomains()) {
                DomainMetadata m = d.metadata();
                InstanceRef ref = new InstanceRef(m.deploymentId(), m.roleName(), m.instanceId());
                if (m.dataDirId().equals(fabricId)) {
                    events.track(domain(ref));
                    withDomain.add(ref);
                }
                out.add(new DomainInfo(ref, m.dataDirId(), m.overlayGeneration(), power(d.state())));
            }
        } catch (HypervisorException e) {
            throw new RuntimeOperationException("cannot list domains on " + hypervisor.uri() + ": " + e.getMessage(), e);
        }
        for (InstanceFile f : InstanceFile.scan(dataDir)) {
            InstanceRef ref = new InstanceRef(f.deploymentId(), f.roleName(), f.instanceId());
            if (!withDomain.contains(ref)) {
                out.add(new DomainInfo(ref, f.fabricId(), f.overlayGeneration(), DomainInfo.Power.DISKS_ONLY));
            }
        }
        return out;
    }

    @Override
    public void reconnect(InstanceRef ref) {
        InstanceDomain domain = domain(ref);
        events.track(domain);
        channels.ensure(domain);
    }

    // ---- RuntimeEvents

    @Override
    public void subscribe(Consumer<RuntimeEvent> listener) {
        events.subscribe(listener);
    }

    // ---- lifecycle

    /** Stop listening (channels, events); the guests keep running for a later fabric to adopt. */
    @Override
    public void close() {
        channels.closeAll();
        events.close();
    }

    /** The instance's files. */
    public InstancePaths paths(InstanceRef ref) {
        return domain(ref).paths();
    }

    // ---- helpers

    private InstanceDomain domain(InstanceRef ref) {
        return new InstanceDomain(hypervisor, dataDir, ref);
    }

    private Object lock(InstanceRef ref) {
        return locks.computeIfAbsent(ref, k -> new Object());
    }

    private static InstancePlan requirePlan(InstanceSpec spec) {
        InstancePlan p = spec.plan();
        if (p == null) {
            throw new RuntimeOperationException(spec.ref() + ": no instance plan in the spec (the controller plans"
                    + " every instance before it calls the runtime)");
        }
        if (!p.deploymentId().equals(spec.ref().deploymentId()) || !p.instanceId().equals(spec.ref().instanceId())) {
            throw new RuntimeOperationException(spec.ref() + ": the plan is of another instance ("
                    + p.deploymentId() + "/" + p.instanceId() + ")");
        }
        return p;
    }

    private static DomainInfo.Power power(DomainState s) {
        return switch (s) {
            case RUNNING, SHUTTING_DOWN -> DomainInfo.Power.RUNNING;
            case PAUSED -> DomainInfo.Power.PAUSED;
            default -> DomainInfo.Power.SHUT_OFF;
        };
    }
}
