package org.csemu.fabric.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.csemu.fabric.agent.AgentChannel;
import org.csemu.fabric.agent.AgentListener;
import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.disk.ConfigDriveWriter;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.disk.LocalStorageDisk;
import org.csemu.fabric.disk.OverlayDisk;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.persist.AtomicFiles;
import org.csemu.fabric.persist.Json;
import org.csemu.fabric.port.ConfigurationChange;
import org.csemu.fabric.port.ConfigurationChangeOutcome;
import org.csemu.fabric.port.DiskPlan;
import org.csemu.fabric.port.DomainInfo;
import org.csemu.fabric.port.FaultInjector;
import org.csemu.fabric.port.InstanceRef;
import org.csemu.fabric.port.InstanceRuntime;
import org.csemu.fabric.port.InstanceSpec;
import org.csemu.fabric.port.RuntimeEvent;
import org.csemu.fabric.port.RuntimeEvents;
import org.csemu.fabric.port.RuntimeOperationException;
import org.csemu.fabric.port.ShutdownMode;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainMetadata;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.vm.DomainSpec;
import org.csemu.fabric.vm.DomainState;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorEvent;
import org.csemu.fabric.vm.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's substrate over libvirt (one {@link Hypervisor}), the disks and the guest-agent channels: every
 * port call is synchronous and idempotent, and what happens on its own (a libvirt lifecycle event, an agent message)
 * becomes a {@link RuntimeEvent} delivered in order on one dispatcher thread, at once (a killed QEMU arrives as a
 * libvirt STOPPED/FAILED event in tens of milliseconds under the host setup's subreaper; nothing here polls for it).
 *
 * <p>Stops the runtime causes itself are marked before they happen and never reported; a stop event that arrives
 * after the domain already runs again is stale and dropped.
 */
public final class VmInstanceRuntime implements InstanceRuntime, RuntimeEvents, FaultInjector, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmInstanceRuntime.class);

    private final Hypervisor hypervisor;
    private final DeploymentResources resources;
    private final Path dataDir;
    private final java.util.function.Supplier<String> fabricId;
    private final Duration gracefulStop;
    private final List<Consumer<RuntimeEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatcher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "csemu-runtime-events");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, InstanceRef> byDomain = new ConcurrentHashMap<>();
    private final Map<InstanceRef, AgentChannel> channels = new ConcurrentHashMap<>();
    private final Map<InstanceRef, Object> locks = new ConcurrentHashMap<>();
    private final Set<String> stopping = ConcurrentHashMap.newKeySet();
    private final Set<InstanceRef> silenced = ConcurrentHashMap.newKeySet();
    private final Set<InstanceRef> failNextBoot = ConcurrentHashMap.newKeySet();
    private final Map<String, java.util.concurrent.CountDownLatch> awaitedCrashes = new ConcurrentHashMap<>();
    private final AutoCloseable subscription;
    /** How long the guest's Changing/Changed hooks may take before the change falls back to a recycle. */
    private static final Duration CHANGE_ACK_TIMEOUT = Duration.ofMinutes(2);

    public VmInstanceRuntime(Hypervisor hypervisor, DeploymentResources resources, Path dataDir,
                             java.util.function.Supplier<String> fabricId,
                             Duration gracefulStop) {
        this.hypervisor = hypervisor;
        this.resources = resources;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.fabricId = fabricId;
        this.gracefulStop = gracefulStop;
        this.subscription = hypervisor.subscribe(this::onHypervisorEvent);
    }

    public Hypervisor hypervisor() {
        return hypervisor;
    }

    // ---- InstanceRuntime

    @Override
    public void boot(InstanceSpec spec, DiskPlan plan) {
        InstanceRef ref = spec.ref();
        synchronized (lock(ref)) {
            if (failNextBoot.remove(ref)) {
                throw new RuntimeOperationException(ref + ": boot failed (injected fault FAIL_NEXT_BOOT)");
            }
            InstancePlan p;
            try {
                p = resources.plan(spec);
            } catch (RuntimeOperationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RuntimeOperationException(ref + ": cannot plan the instance: " + e.getMessage(), e);
            }
            String domain = p.domainName();
            byDomain.put(domain, ref);
            InstancePaths paths = p.paths();
            // a boot is a fresh guest: an injected agent hang (STOP_HEARTBEATS) lasts until the recycle that heals it
            silenced.remove(ref);
            try {
                destroyAndWait(domain);
                Files.createDirectories(paths.dir());
                Optional<InstanceFile> before = readInstanceFile(paths);
                if (plan.overlay() == DiskPlan.OverlayAction.NEW || !Files.isRegularFile(paths.osDisk())) {
                    OverlayDisk.create(p.image().disk(), p.image().diskFormat(), paths.osDisk());
                }
                if (plan.localStorage() == DiskPlan.LocalStorageAction.NEW) {
                    LocalStorageDisk.create(paths.localDisk(), p.localDiskSizeMiB());
                } else {
                    LocalStorageDisk.ensure(paths.localDisk(), p.localDiskSizeMiB());
                }
                boolean recycled = before.map(f -> f.recycleGeneration() != spec.recycleGeneration()).orElse(true);
                if (plan.configDrive() == DiskPlan.ConfigDriveAction.REBUILD || recycled
                        || !plan.wipedResources().isEmpty() || !Files.isRegularFile(paths.configDrive())) {
                    // a kept drive is rewritten only to carry the new recycle id; its content is the same service.
                    // The wipe flags are the plan's decision (DiskPolicy), carried out by the agent once per recycle
                    new ConfigDriveWriter().write(p.configDrive().withWiped(plan.wipedResources()),
                            paths.configDrive());
                }
                writeInstanceFile(paths, new InstanceFile(fabricId.get(), ref.deploymentId(), ref.roleName(),
                        ref.instanceId(), spec.overlayGeneration(), spec.recycleGeneration()));
                hypervisor.define(domainSpec(p, spec.overlayGeneration()));
                ensureChannel(ref, paths);
                stopping.remove(domain);
                hypervisor.start(domain);
                LOG.info("{}: started {} (overlay {}, local {}, config {})", ref, domain, plan.overlay(),
                        plan.localStorage(), plan.configDrive());
            } catch (HypervisorException | IOException e) {
                throw new RuntimeOperationException(ref + ": cannot start domain " + domain + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while booting", e);
            }
        }
    }

    @Override
    public void shutdown(InstanceRef ref, ShutdownMode mode) {
        synchronized (lock(ref)) {
            String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
            byDomain.put(domain, ref);
            stopping.add(domain);
            try {
                if (!isActive(domain)) {
                    return;
                }
                if (mode == ShutdownMode.GRACEFUL) {
                    AgentChannel c = channels.get(ref);
                    if (c != null && c.isConnected()) {
                        try {
                            c.sendStopping("poweroff");
                            Poller.standard().until("guest " + domain + " to power off", Deadline.after(gracefulStop),
                                    () -> !activeQuietly(domain));
                            return;
                        } catch (IOException | TimeoutException e) {
                            LOG.info("{}: graceful stop did not finish ({}); destroying", ref, e.getMessage());
                        }
                    }
                }
                destroyAndWait(domain);
            } catch (HypervisorException e) {
                throw new RuntimeOperationException(ref + ": cannot stop " + domain + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while stopping", e);
            }
        }
    }

    @Override
    public void delete(InstanceRef ref) {
        synchronized (lock(ref)) {
            String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
            stopping.add(domain);
            try {
                destroyAndWait(domain);
                hypervisor.undefine(domain);
            } catch (HypervisorException e) {
                throw new RuntimeOperationException(ref + ": cannot delete domain " + domain + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RuntimeOperationException(ref + ": interrupted while deleting", e);
            }
            AgentChannel c = channels.remove(ref);
            if (c != null) {
                c.close();
            }
            deleteTree(new InstancePaths(dataDir, ref.deploymentId(), ref.instanceId()).dir());
            try {
                Files.deleteIfExists(agentSocket(ref.deploymentId(), ref.instanceId()));
            } catch (IOException e) {
                LOG.debug("{}: socket not removed: {}", ref, e.getMessage());
            }
            resources.network().release(ref.deploymentId(), ref.instanceId());
            byDomain.remove(domain);
            stopping.remove(domain);
            silenced.remove(ref);
        }
        locks.remove(ref);
    }

    @Override
    public ConfigurationChangeOutcome changeConfiguration(InstanceSpec spec, List<ConfigurationChange> changes) {
        InstanceRef ref = spec.ref();
        synchronized (lock(ref)) {
            InstancePlan p;
            try {
                p = resources.plan(spec);
            } catch (RuntimeException e) {
                throw new RuntimeOperationException(ref + ": cannot plan the instance: " + e.getMessage(), e);
            }
            InstancePaths paths = p.paths();
            String domain = p.domainName();
            List<Map<String, String>> wire = changes.stream().map(ConfigurationChange::toWire).toList();
            try {
                if (!activeQuietly(domain)) {
                    if (Files.isDirectory(paths.dir())) {
                        new ConfigDriveWriter().write(p.configDrive(), paths.configDrive());
                    }
                    return ConfigurationChangeOutcome.NOT_RUNNING;
                }
                AgentChannel c = channels.get(ref);
                if (c == null || !c.isConnected()) {
                    LOG.info("{}: no agent connection for a configuration change; the instance is recycled", ref);
                    return ConfigurationChangeOutcome.RECYCLE_REQUIRED;
                }
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
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
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
                if (m.dataDirId().equals(fabricId.get())) {
                    byDomain.put(d.name(), ref);
                    withDomain.add(ref);
                }
                out.add(new DomainInfo(ref, m.dataDirId(), m.overlayGeneration(), power(d.state())));
            }
        } catch (HypervisorException e) {
            throw new RuntimeOperationException("cannot list domains on " + hypervisor.uri() + ": " + e.getMessage(), e);
        }
        for (InstanceFile f : instanceFiles()) {
            InstanceRef ref = new InstanceRef(f.deploymentId(), f.roleName(), f.instanceId());
            if (!withDomain.contains(ref)) {
                out.add(new DomainInfo(ref, f.fabricId(), f.overlayGeneration(), DomainInfo.Power.DISKS_ONLY));
            }
        }
        return out;
    }

    @Override
    public void reconnect(InstanceRef ref) {
        String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
        byDomain.put(domain, ref);
        try {
            resources.attach(ref.deploymentId());
        } catch (RuntimeException e) {
            throw new RuntimeOperationException(ref + ": cannot restore its endpoints: " + e.getMessage(), e);
        }
        ensureChannel(ref, new InstancePaths(dataDir, ref.deploymentId(), ref.instanceId()));
    }

    // ---- RuntimeEvents

    @Override
    public void subscribe(Consumer<RuntimeEvent> listener) {
        listeners.add(listener);
    }

    private void emit(RuntimeEvent event) {
        dispatcher.execute(() -> deliver(event));
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

    private void onHypervisorEvent(HypervisorEvent event) {
        InstanceRef ref = event.domainName() == null ? null : byDomain.get(event.domainName());
        if (ref == null) {
            return;
        }
        if (event.kind() != HypervisorEvent.Kind.CRASHED && event.kind() != HypervisorEvent.Kind.STOPPED) {
            return;
        }
        java.util.concurrent.CountDownLatch crashAwaited = awaitedCrashes.get(event.domainName());
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

    private void onAgentMessage(InstanceRef ref, AgentMessage m) {
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
                e = status(s.status()).<RuntimeEvent>map(st -> new RuntimeEvent.Status(ref, st)).orElse(null);
            }
        } else if (m instanceof AgentMessage.Heartbeat hb && !silenced.contains(ref)) {
            e = status(hb.status()).<RuntimeEvent>map(st -> new RuntimeEvent.Heartbeat(ref, st)).orElse(null);
        }
        if (e != null) {
            emit(e);
        }
    }

    private static Optional<RuntimeEvent.AgentStatus> status(String s) {
        if ("Ready".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.READY);
        }
        if ("Busy".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.BUSY);
        }
        if ("Starting".equalsIgnoreCase(s)) {
            return Optional.of(RuntimeEvent.AgentStatus.STARTING);
        }
        return Optional.empty();
    }

    // ---- FaultInjector

    @Override
    public void killProcess(InstanceRef ref) {
        String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
        try {
            OptionalLong pid = hypervisor.qemuPid(domain);
            if (pid.isEmpty()) {
                throw new RuntimeOperationException(ref + ": no QEMU process to kill (domain not running?)");
            }
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            LOG.info("{}: SIGKILL sent to QEMU pid {}", ref, pid.getAsLong());
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot find the QEMU pid: " + e.getMessage(), e);
        }
    }

    @Override
    public void crashGuest(InstanceRef ref) {
        String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
        try {
            if (!isActive(domain)) {
                throw new RuntimeOperationException(ref + ": no running guest to crash");
            }
            java.util.concurrent.CountDownLatch crashed = new java.util.concurrent.CountDownLatch(1);
            awaitedCrashes.put(domain, crashed);
            try {
                hypervisor.sendKeys(domain, GuestPanic.SYSRQ_CRASH);
                LOG.info("{}: Alt+SysRq+C sent: the guest kernel panics", ref);
                // the crash itself reaches the controller as a lifecycle event; this only makes the fault's
                // operation say whether a crash was reported at all
                if (!crashed.await(GuestPanic.REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new RuntimeOperationException(ref + ": no guest crash was reported within "
                            + GuestPanic.REPORT_DEADLINE.toSeconds() + " s of Alt+SysRq+C: the guest may still be"
                            + " booting (no keyboard driver yet), have SysRq disabled, or panic without a pvpanic"
                            + " device (then its lost heartbeats recycle it)");
                }
            } finally {
                awaitedCrashes.remove(domain, crashed);
            }
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot crash the guest: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeOperationException(ref + ": interrupted while crashing the guest", e);
        }
    }

    @Override
    public void pause(InstanceRef ref) {
        try {
            hypervisor.suspend(DomainNames.of(ref.deploymentId(), ref.instanceId()));
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot pause: " + e.getMessage(), e);
        }
    }

    @Override
    public void failHost(InstanceRef ref) {
        String domain = DomainNames.of(ref.deploymentId(), ref.instanceId());
        stopping.add(domain);
        try {
            destroyAndWait(domain);
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot fail the host: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stopHeartbeats(InstanceRef ref) {
        silenced.add(ref);
    }

    @Override
    public void failNextBoot(InstanceRef ref) {
        failNextBoot.add(ref);
    }

    // ---- lifecycle

    /** Stop listening (channels, events); the guests keep running for a later fabric to adopt. */
    @Override
    public void close() {
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("unsubscribe: {}", e.getMessage());
        }
        channels.values().forEach(AgentChannel::close);
        channels.clear();
        dispatcher.shutdown();
        try {
            dispatcher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The instance's files. */
    public InstancePaths paths(InstanceRef ref) {
        return new InstancePaths(dataDir, ref.deploymentId(), ref.instanceId());
    }

    // ---- helpers

    private Object lock(InstanceRef ref) {
        return locks.computeIfAbsent(ref, k -> new Object());
    }

    private DomainSpec domainSpec(InstancePlan p, long overlayGeneration) {
        InstancePaths paths = p.paths();
        return new DomainSpec(p.domainName(),
                new DomainMetadata(fabricId.get(), p.deploymentId(), p.roleName(), p.instanceId(), (int) overlayGeneration),
                hypervisor.virtType(), p.vcpus(), p.memoryMiB(),
                new DomainSpec.DirectBoot(p.image().kernel(), p.image().initrd(), p.image().cmdline()),
                paths.osDisk(), new DomainSpec.BaseImage(p.image().disk(), p.image().diskFormat()),
                paths.configDrive(), paths.localDisk(), p.forwards(), agentSocket(p.deploymentId(), p.instanceId()),
                DomainSpec.AGENT_CHANNEL,
                paths.consoleLog());
    }

    /**
     * The host end of the agent channel. Not in the instance directory: a unix socket path is limited to 107 bytes
     * and {@code <data>/deployments/<32 hex>/instances/<Role>_IN_<n>/agent.sock} easily exceeds it, so sockets live in
     * {@code <data>/run/} under a hash of the instance.
     */
    public Path agentSocket(String deploymentId, String instanceId) {
        String hash = sha(deploymentId + "/" + instanceId);
        Path socket = dataDir.resolve("run").resolve(hash.substring(0, 16) + ".sock");
        if (socket.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 100) {
            throw new RuntimeOperationException("the data directory path " + dataDir + " is too long for unix sockets"
                    + " (agent socket " + socket + " exceeds 100 bytes); use a shorter data directory");
        }
        return socket;
    }

    private static String sha(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void ensureChannel(InstanceRef ref, InstancePaths paths) {
        try {
            Files.createDirectories(dataDir.resolve("run"));
        } catch (IOException e) {
            throw new RuntimeOperationException("cannot create " + dataDir.resolve("run") + ": " + e.getMessage(), e);
        }
        Path socket = agentSocket(ref.deploymentId(), ref.instanceId());
        channels.computeIfAbsent(ref, r -> new AgentChannel(socket, new AgentListener() {
            @Override
            public void onMessage(AgentMessage message) {
                onAgentMessage(r, message);
            }
        }).start());
    }

    private boolean activeQuietly(String domain) {
        try {
            return isActive(domain);
        } catch (HypervisorException e) {
            return true;
        }
    }

    private boolean isActive(String domain) throws HypervisorException {
        Optional<DomainState> s = hypervisor.state(domain);
        return s.isPresent() && s.get().isActive();
    }

    private void destroyAndWait(String domain) throws HypervisorException, InterruptedException {
        if (!isActive(domain)) {
            return;
        }
        stopping.add(domain);
        hypervisor.destroy(domain);
        try {
            Poller.standard().until("domain " + domain + " to stop", Deadline.after(Duration.ofSeconds(30)),
                    () -> !activeQuietly(domain));
        } catch (TimeoutException e) {
            throw new HypervisorException("domain " + domain + " still runs 30 s after destroy");
        }
    }

    private static DomainInfo.Power power(DomainState s) {
        return switch (s) {
            case RUNNING, SHUTTING_DOWN -> DomainInfo.Power.RUNNING;
            case PAUSED -> DomainInfo.Power.PAUSED;
            default -> DomainInfo.Power.SHUT_OFF;
        };
    }

    private List<InstanceFile> instanceFiles() {
        List<InstanceFile> out = new ArrayList<>();
        Path deployments = dataDir.resolve("deployments");
        if (!Files.isDirectory(deployments)) {
            return out;
        }
        try (DirectoryStream<Path> deps = Files.newDirectoryStream(deployments)) {
            for (Path dep : deps) {
                Path instances = dep.resolve("instances");
                if (!Files.isDirectory(instances)) {
                    continue;
                }
                try (DirectoryStream<Path> inst = Files.newDirectoryStream(instances)) {
                    for (Path dir : inst) {
                        Path f = dir.resolve("instance.json");
                        if (Files.isRegularFile(f)) {
                            try {
                                out.add(Json.mapper().readValue(f.toFile(), InstanceFile.class));
                            } catch (IOException e) {
                                LOG.warn("unreadable {}: {}", f, e.getMessage());
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot scan {}: {}", deployments, e.getMessage());
        }
        return out;
    }

    private static Optional<InstanceFile> readInstanceFile(InstancePaths paths) {
        Path f = paths.dir().resolve("instance.json");
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(f.toFile(), InstanceFile.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void writeInstanceFile(InstancePaths paths, InstanceFile f) throws IOException {
        AtomicFiles.write(paths.dir().resolve("instance.json"), Json.mapper().writeValueAsBytes(f));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new RuntimeOperationException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
