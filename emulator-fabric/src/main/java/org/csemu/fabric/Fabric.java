package org.csemu.fabric;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.csemu.core.diag.Diagnostic;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DeploymentView;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.FabricPorts;
import org.csemu.fabric.deployment.FaultKind;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.OperationStatus;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageException;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.port.InstanceRef;
import org.csemu.fabric.port.RuntimeEvent;
import org.csemu.fabric.port.RuntimeOperationException;
import org.csemu.fabric.port.ShutdownMode;
import org.csemu.fabric.port.SystemScheduler;
import org.csemu.fabric.recovery.Recovery;
import org.csemu.fabric.recovery.RecoveryReport;
import org.csemu.fabric.runtime.DeploymentResources;
import org.csemu.fabric.runtime.RotationChange;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.runtime.VipRotation;
import org.csemu.fabric.runtime.VmInstanceRuntime;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.service.InstanceBlueprints;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ServiceSource;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorException;
import org.csemu.fabric.vm.LibvirtHypervisor;
import org.csemu.lb.VipLoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric assembled: the controller (state machine, operations, healing, persistence) running real deployments in
 * libvirt/QEMU guests behind the real VIP load balancer. One object per data directory; {@link #start} connects
 * libvirt (its event loop), binds nothing but what deployments need on loopback, registers the sample base image,
 * opens the controller and runs recovery (adopting running guests, finishing interrupted operations) before it
 * returns. This is the API the daemon and its REST/CLI layer build on.
 */
public final class Fabric implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fabric.class);

    /** What {@link #close(Shutdown)} does with running instances. */
    public enum Shutdown {
        /** Leave the guests running; the next fabric on this data directory adopts them. */
        LEAVE_RUNNING,
        /** Stop every guest (graceful, destroy as fallback); desired state is unchanged, so the next start boots them. */
        STOP_INSTANCES
    }

    /** The answer to a create request: the deployment, its operation, and where its endpoints listen. */
    public record DeploymentCreation(String deploymentId, String name, OperationStatus operation,
                                     List<VipEndpoint> endpoints, List<Diagnostic> warnings) {
    }

    private final FabricConfig config;
    private final boolean ownsHypervisor;
    private final VipLoadBalancer lb;
    private final ImageRepository images;
    private final Hypervisor hypervisor;
    private final SystemScheduler scheduler;
    private final ExecutorService executor;
    private final VipRotation rotation;
    private final DeploymentResources resources;
    private final VmInstanceRuntime runtime;
    private final FabricController controller;
    private final RecoveryReport recovery;
    private volatile boolean closed;

    private Fabric(FabricConfig config, Hypervisor shared)
            throws IOException, HypervisorException, ImageException, InterruptedException {
        this.config = config;
        this.ownsHypervisor = shared == null;
        Path dataDir = Files.createDirectories(config.dataDir());
        requireTraversable(dataDir);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.images = new ImageRepository(config.imageRepositoryDir());
            registerBaseImage();
            this.hypervisor = shared != null ? shared : new LibvirtHypervisor(config.libvirtUris().get(0));
            if (ownsHypervisor) {
                opened.add(hypervisor);
            }
            this.lb = VipLoadBalancer.start();
            opened.add(lb);
            this.scheduler = new SystemScheduler();
            opened.add(scheduler);
            this.executor = Executors.newCachedThreadPool(daemonThreads("csemu-fabric-work"));
            this.rotation = new VipRotation(lb);
            AtomicReference<FabricController> ctl = new AtomicReference<>();
            ServiceStore services = new ServiceStore(dataDir);
            services.cleanStaging();
            NetworkAllocator network = new NetworkAllocator(dataDir);
            InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(dataDir,
                    () -> ctl.get().model().fabricId(), config.vcpus(), config.memoryMiB(), config.heartbeatSeconds(),
                    config.instanceTimeouts()), network);
            this.resources = new DeploymentResources(services, network, blueprints, rotation, images,
                    config.defaultImage(), config.vipAddress(), () -> ctl.get().model());
            this.runtime = new VmInstanceRuntime(hypervisor, resources, dataDir, () -> ctl.get().model().fabricId(),
                    config.gracefulStop());
            opened.add(runtime);
            this.controller = FabricController.open(dataDir,
                    new FabricPorts(runtime, rotation, runtime, runtime, scheduler),
                    config.healing().withConcurrency(config.concurrency()), executor);
            ctl.set(controller);
            for (DeploymentRecord d : controller.model().desired().deployments()) {
                try {
                    resources.attach(d.id());
                } catch (RuntimeException e) {
                    LOG.error("deployment {} ({}): endpoints not restored: {}", d.name(), d.id(), e.getMessage());
                }
            }
            this.recovery = new Recovery(controller, runtime).run();
            LOG.info("fabric {} on {}: recovery {}", controller.model().fabricId(), dataDir, recovery);
        } catch (IOException | HypervisorException | ImageException | InterruptedException | RuntimeException e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Serialises configuration changes: the running-change check and the store of the new one are one step. */
    private final Object configurationChangeLock = new Object();

    /** Start a fabric on its data directory (recovery included). */
    public static Fabric start(FabricConfig config)
            throws IOException, HypervisorException, ImageException, InterruptedException {
        return new Fabric(config, null);
    }

    /**
     * Start a fabric on a libvirt connection the caller owns (and closes): several fabrics, or a fabric and its
     * tests, share one connection instead of opening and closing connections while libvirt delivers events.
     */
    public static Fabric start(FabricConfig config, Hypervisor hypervisor)
            throws IOException, HypervisorException, ImageException, InterruptedException {
        return new Fabric(config, java.util.Objects.requireNonNull(hypervisor, "hypervisor"));
    }

    // ---- deployments

    /**
     * Validate and deploy a service: a service directory (its only {@code *.cscfg} unless {@code cscfg} is given)
     * or a package with its configuration. Returns once the deployment exists and its listeners are bound; the
     * instances boot in the background (poll the operation or {@link #await}).
     */
    public DeploymentCreation createDeployment(String name, Slot slot, Path serviceDirOrPackage, Path cscfg)
            throws DeploymentRejectedException {
        return createDeployment(name, slot, serviceDirOrPackage, cscfg, true);
    }

    /**
     * As {@link #createDeployment(String, Slot, Path, Path)}; with {@code start} false the deployment is created
     * Suspended (StartDeployment=false): it exists, its VIP listeners are bound (so its URLs are known), its
     * instances are StoppedDeallocated and nothing is booted or in rotation until {@link #resume}.
     */
    public DeploymentCreation createDeployment(String name, Slot slot, Path serviceDirOrPackage, Path cscfg,
                                               boolean start) throws DeploymentRejectedException {
        ServiceSource source = ServiceSource.resolve(serviceDirOrPackage, cscfg, config.dataDir().resolve("tmp"));
        LoadedService staged;
        try {
            staged = resources.services().stage(name, source);
        } finally {
            source.cleanup();
        }
        List<Image> used = new ArrayList<>();
        try {
            for (String image : resources.imageNames(staged)) {
                used.add(resources.image(image));
            }
        } catch (RuntimeOperationException e) {
            resources.services().discardStaged(name);
            throw new DeploymentRejectedException(e.getMessage(), e);
        }
        OperationStatus op;
        try {
            op = controller.createDeployment(name, slot, staged.definition(), staged.configuration(), start);
        } catch (IllegalArgumentException e) {
            resources.services().discardStaged(name);
            throw new DeploymentRejectedException(e.getMessage(), e);
        }
        String id = controller.deployments().stream().filter(d -> d.name().equals(name)).findFirst()
                .orElseThrow().id();
        for (Image image : used) {
            try {
                images.acquire(image.id(), id);
            } catch (ImageException | IOException e) {
                LOG.warn("image {} usage not recorded for {}: {}", image.shortId(), id, e.getMessage());
            }
        }
        resources.attach(id);
        return new DeploymentCreation(id, name, op, resources.endpoints(id), staged.warnings());
    }

    /**
     * Delete a deployment: every instance out of rotation, drained and deleted; then its listeners, addresses,
     * service files and image references go.
     */
    public OperationStatus deleteDeployment(String deploymentId) {
        OperationStatus op = controller.deleteDeployment(deploymentId);
        executor.execute(() -> {
            try {
                OperationStatus done = controller.await(op.id(), Duration.ofHours(1));
                // the controller forgets the deployment just after the operation's last unit completes
                try {
                    Poller.standard().until("deployment " + deploymentId + " forgotten", Deadline.after(
                            Duration.ofSeconds(10)), () -> controller.model().deployment(deploymentId).isEmpty());
                } catch (TimeoutException e) {
                    LOG.debug("{}", e.getMessage());
                }
                if (controller.model().deployment(deploymentId).isEmpty()) {
                    resources.detach(deploymentId);
                    releaseImages(deploymentId);
                    deleteIfEmpty(config.dataDir().resolve("deployments").resolve(deploymentId));
                } else {
                    LOG.warn("deployment {} not fully deleted: {}", deploymentId, done.errors());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return op;
    }

    public List<DeploymentView> deployments() {
        return controller.deployments();
    }

    public Optional<DeploymentView> deployment(String deploymentId) {
        return controller.view(deploymentId);
    }

    public Optional<DeploymentView> deploymentByName(String name) {
        return controller.deployments().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The VIP endpoints of a deployment, with the port each actually got ({@code 80 -> 8080}). */
    public List<VipEndpoint> endpoints(String deploymentId) {
        return resources.endpoints(deploymentId);
    }

    /** An instance's own address and ports (reach it directly, bypassing the VIP). */
    public Optional<InstanceNetwork> instanceNetwork(String deploymentId, String instanceId) {
        return resources.network().instance(deploymentId, instanceId);
    }

    // ---- operations

    public OperationStatus perform(String deploymentId, InstanceOperation operation, List<String> instanceIds) {
        return controller.perform(deploymentId, operation, instanceIds);
    }

    public OperationStatus performOnRole(String deploymentId, String roleName, InstanceOperation operation) {
        return controller.performOnRole(deploymentId, roleName, operation);
    }

    /**
     * Scale a role. When the role has internal endpoints (it is part of RoleEnvironment's topology), the other
     * instances are told once the scale's runtime work is done: a topology change ({@link
     * FabricController#notifyTopology}), all at once for a {@code Blast} service, else upgrade domain by domain.
     */
    public OperationStatus scale(String deploymentId, String roleName, int count) {
        java.util.Set<String> before = controller.model().requireDeployment(deploymentId).instances().stream()
                .map(InstanceRecord::id).collect(java.util.stream.Collectors.toSet());
        OperationStatus op = controller.scale(deploymentId, roleName, count);
        LoadedService service = resources.attach(deploymentId);
        boolean inTopology = service.definition().role(roleName)
                .map(r -> !r.endpoints().internal().isEmpty()).orElse(false);
        if (inTopology && op.total() > 0) {
            boolean blast = service.definition().topologyChangeDiscovery()
                    == org.csemu.core.model.TopologyChangeDiscovery.BLAST;
            executor.execute(() -> {
                try {
                    controller.await(op.id(), Duration.ofHours(1));
                    java.util.Set<String> added = new java.util.HashSet<>(controller.model().deployment(deploymentId)
                            .map(d -> d.instances().stream().map(InstanceRecord::id).toList()).orElse(List.of()));
                    added.removeAll(before);
                    // peers learn of a new instance once it serves: a call to one that is still booting is
                    // accepted by its QEMU forward and then hangs until the guest answers
                    awaitServing(deploymentId, added);
                    if (controller.model().deployment(deploymentId).map(d -> !d.deleting()).orElse(false)) {
                        OperationStatus topology = controller.notifyTopology(deploymentId, roleName, blast, added);
                        LOG.info("{}: topology change of role {} ({})", deploymentId, roleName, topology.id());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("{}: topology change of role {} not sent: {}", deploymentId, roleName, e.toString());
                }
            });
        }
        return op;
    }

    /** Until every instance of {@code ids} is Ready (or settled elsewhere: failed, stopped, gone), at most 10 min. */
    private void awaitServing(String deploymentId, java.util.Set<String> ids) throws InterruptedException {
        java.util.Set<InstanceState> booting = java.util.EnumSet.of(InstanceState.PREPARING, InstanceState.CREATING_VM,
                InstanceState.STARTING_VM, InstanceState.CREATING_ROLE, InstanceState.STARTING_ROLE);
        try {
            org.csemu.fabric.util.Poller.standard().until("new instances of " + deploymentId + " serving",
                    org.csemu.fabric.util.Deadline.after(Duration.ofMinutes(10)), () -> ids.stream().noneMatch(
                            id -> controller.state(deploymentId, id).map(booting::contains).orElse(false)));
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warn("{}: {} still booting; the topology change goes out anyway", deploymentId, ids);
        }
    }

    /**
     * Change Deployment Configuration (the classic in-place update, Auto mode): validate the new {@code .cscfg}
     * against the deployment's definition, store it (every later boot writes its config drive from it), then apply
     * it: new instance counts scale, settings/certificate/OS image changes walk the upgrade domains
     * ({@link FabricController#changeConfiguration}). Only one change runs per deployment at a time, as in the cloud.
     *
     * @return the operations started (empty: the configuration is the same)
     * @throws DeploymentRejectedException the configuration is invalid for the deployment (with diagnostics)
     * @throws IllegalStateException       the change is not possible in place, or another one is running
     */
    public List<OperationStatus> changeConfiguration(String deploymentId, Path cscfg) throws DeploymentRejectedException {
        synchronized (configurationChangeLock) {
            DeploymentRecord d = controller.model().requireDeployment(deploymentId);
            java.util.Optional<String> running = controller.runningConfigurationChange(deploymentId);
            if (running.isPresent()) {
                throw new IllegalStateException("a configuration change of '" + d.name() + "' is running (operation "
                        + running.get() + "); wait for it to finish");
            }
            LoadedService current = resources.attach(deploymentId);
            org.csemu.core.validate.LoadResult next = resources.services().validateConfiguration(deploymentId, cscfg);
            if (!next.ok()) {
                throw new DeploymentRejectedException("the new configuration is invalid for deployment '" + d.name()
                        + "'", next.diagnostics(), null);
            }
            org.csemu.core.model.ServiceConfiguration configuration = next.configuration().orElseThrow();
            org.csemu.fabric.service.ConfigurationDiff diff = org.csemu.fabric.service.ConfigurationDiff.between(
                    current.configuration(), configuration);
            if (!diff.refusals().isEmpty()) {
                throw new IllegalStateException("not possible as an in-place update: " + String.join("; ",
                        diff.refusals()) + "; deploy the service anew for that (csemu remove, then csemu run)");
            }
            for (org.csemu.fabric.deployment.RoleConfigurationDelta delta : diff.deltas()) {
                if (delta.osImageChanged()) {
                    try {
                        Image image = resources.image(delta.osImage());
                        images.acquire(image.id(), deploymentId);
                    } catch (RuntimeOperationException | ImageException | IOException e) {
                        throw new DeploymentRejectedException("role " + delta.role() + ": " + e.getMessage(), e);
                    }
                }
            }
            try {
                resources.services().replaceConfiguration(deploymentId, Files.readAllBytes(cscfg), configuration);
            } catch (IOException e) {
                throw new DeploymentRejectedException("cannot store the new configuration: " + e.getMessage(), e);
            }
            List<OperationStatus> ops = new ArrayList<>();
            if (!diff.deltas().isEmpty()) {
                ops.add(controller.changeConfiguration(deploymentId, diff.deltas()));
            }
            diff.instanceCounts().forEach((role, count) -> {
                int desired = d.role(role).map(org.csemu.fabric.deployment.RoleRecord::instanceCount).orElse(count);
                if (count != desired) {
                    ops.add(scale(deploymentId, role, count));
                }
            });
            return ops;
        }
    }

    public OperationStatus suspend(String deploymentId) {
        return controller.suspend(deploymentId);
    }

    public OperationStatus resume(String deploymentId) {
        return controller.resume(deploymentId);
    }

    public OperationStatus injectFault(String deploymentId, String instanceId, FaultKind fault) {
        return controller.injectFault(deploymentId, instanceId, fault);
    }

    public Optional<OperationStatus> operation(String operationId) {
        return controller.operation(operationId);
    }

    public OperationStatus await(String operationId, Duration deadline) throws InterruptedException {
        return controller.await(operationId, deadline);
    }

    /** The deployment's event log: every instance transition with its timestamp, trigger and cause. */
    public List<LifecycleEvent> events(String deploymentId) {
        return controller.events(deploymentId);
    }

    // ---- observation

    /** Rotation changes (instance in/out of every VIP listener of its role), as the LB applied them. */
    public void subscribeRotation(Consumer<RotationChange> subscriber) {
        rotation.subscribe(subscriber);
    }

    public void unsubscribeRotation(Consumer<RotationChange> subscriber) {
        rotation.unsubscribe(subscriber);
    }

    /** Everything the substrate observes (crashes, agent hello/status/heartbeats), in order per instance. */
    public void subscribeRuntimeEvents(Consumer<RuntimeEvent> subscriber) {
        runtime.subscribe(subscriber);
    }

    public VipRotation rotation() {
        return rotation;
    }

    public ImageRepository images() {
        return images;
    }

    public RecoveryReport recoveryReport() {
        return recovery;
    }

    public FabricController controller() {
        return controller;
    }

    public Hypervisor hypervisor() {
        return hypervisor;
    }

    public VmInstanceRuntime runtime() {
        return runtime;
    }

    public FabricConfig config() {
        return config;
    }

    /** The id of this data directory (in every domain's metadata; recovery never touches other fabrics' domains). */
    public String fabricId() {
        return controller.model().fabricId();
    }

    // ---- shutdown

    /** {@link #close(Shutdown)} with {@link Shutdown#LEAVE_RUNNING}. */
    @Override
    public void close() {
        close(Shutdown.LEAVE_RUNNING);
    }

    public synchronized void close(Shutdown mode) {
        if (closed) {
            return;
        }
        closed = true;
        if (mode == Shutdown.STOP_INSTANCES) {
            for (DeploymentRecord d : controller.model().desired().deployments()) {
                for (InstanceRecord i : d.instances()) {
                    InstanceRef ref = new InstanceRef(d.id(), i.role(), i.id());
                    try {
                        runtime.shutdown(ref, ShutdownMode.GRACEFUL);
                    } catch (RuntimeOperationException e) {
                        LOG.warn("{}: not stopped: {}", ref, e.getMessage());
                    }
                }
            }
        }
        executor.shutdownNow();
        runtime.close();
        scheduler.close();
        lb.close();
        if (ownsHypervisor) {
            hypervisor.close();
        }
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- helpers

    private void registerBaseImage() throws IOException, ImageException, InterruptedException {
        if (images.inspect(config.defaultImage()).isPresent() || config.baseImageDir() == null
                || !Files.isRegularFile(config.baseImageDir().resolve("image.json"))) {
            return;
        }
        Image image = images.addFromDirectory(config.baseImageDir().toRealPath(), config.defaultImage());
        LOG.info("registered base image {} as '{}' from {}", image.shortId(), config.defaultImage(),
                config.baseImageDir());
    }

    private void releaseImages(String deploymentId) {
        try {
            for (Image image : images.list()) {
                if (images.users(image.id()).contains(deploymentId)) {
                    images.release(image.id(), deploymentId);
                }
            }
        } catch (IOException e) {
            LOG.warn("image references of {} not released: {}", deploymentId, e.getMessage());
        }
    }

    /**
     * QEMU runs as {@code libvirt-qemu} and opens the disks under the data directory: every directory on the way must
     * be searchable by others, else every boot fails much later with a permission error deep in libvirt.
     */
    private static void requireTraversable(Path dataDir) throws IOException {
        for (Path p = dataDir.toRealPath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException("the data directory " + dataDir + " is not reachable by the libvirt-qemu user: "
                        + p + " is not searchable by others (chmod o+x " + p + ", or use a data directory under"
                        + " /var/lib/csemu)");
            }
        }
    }

    private static void deleteIfEmpty(Path dir) {
        try {
            Path instances = dir.resolve("instances");
            if (Files.isDirectory(instances)) {
                try (var s = Files.list(instances)) {
                    if (s.findAny().isPresent()) {
                        return;
                    }
                }
                Files.delete(instances);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("{} not removed: {}", dir, e.getMessage());
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
