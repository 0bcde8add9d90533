package org.csemu.fabric;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.csemu.core.diag.Diagnostic;
import org.csemu.fabric.certificates.CertificateRequirements;
import org.csemu.fabric.certificates.CertificateStore;
import org.csemu.fabric.certificates.GuestCertificates;
import org.csemu.fabric.certificates.Thumbprint;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.FabricModel;
import org.csemu.fabric.deployment.FabricPorts;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.ServiceDeployments;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.image.BaseImage;
import org.csemu.fabric.image.ImageException;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.ShutdownMode;
import org.csemu.fabric.spi.SystemScheduler;
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
import org.csemu.fabric.service.NetworkAllocator;
import org.csemu.fabric.service.ServiceStore;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorException;
import org.csemu.fabric.vm.LibvirtHypervisor;
import org.csemu.fabric.runtime.VipProcess;
import org.csemu.lb.LoadBalancer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fabric assembled: the controller (state machine, operations, healing, persistence) running real deployments in
 * libvirt/QEMU guests behind the real VIP load balancer. One object per data directory; {@link #start} connects
 * libvirt (its event loop), binds nothing but what deployments need on loopback, registers the sample base image,
 * opens the controller and runs recovery (adopting running guests, finishing interrupted operations) before it
 * returns. This is the API the daemon and its REST/CLI layer build on.
 *
 * <p>Assembly only: it wires the parts and hands every request to the one that does it; the data directory's
 * preparation is {@link DataDirectory}'s, the base image's registration {@link BaseImage}'s.
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
    public record DeploymentCreation(String deploymentId, String name, OperationRecord operation,
                                     List<VipEndpoint> endpoints, List<Diagnostic> warnings) {
    }

    private final FabricConfig config;
    private final boolean ownsHypervisor;
    private final LoadBalancer lb;
    private final ImageRepository images;
    private final CertificateStore certificates;
    private final Hypervisor hypervisor;
    private final SystemScheduler scheduler;
    private final ExecutorService executor;
    private final VipRotation rotation;
    private final VmInstanceRuntime runtime;
    private final ServiceDeployments deployments;
    private final FabricController controller;
    private final RecoveryReport recovery;
    private volatile boolean closed;

    private Fabric(FabricConfig config, Hypervisor shared)
            throws IOException, HypervisorException, ImageException, InterruptedException {
        this.config = config;
        this.ownsHypervisor = shared == null;
        Path dataDir = DataDirectory.prepare(config.dataDir(), config.libvirtUris().get(0));
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            this.images = new ImageRepository(config.imageRepositoryDir());
            BaseImage.register(images, config.baseImageDir(), config.defaultImage());
            this.hypervisor = shared != null ? shared : new LibvirtHypervisor(config.libvirtUris().get(0));
            if (ownsHypervisor) {
                opened.add(hypervisor);
            }
            this.lb = VipProcess.open(dataDir, config.vipProcess());
            opened.add(lb);
            this.scheduler = new SystemScheduler();
            opened.add(scheduler);
            this.executor = Executors.newCachedThreadPool(daemonThreads("csemu-fabric-work"));
            this.rotation = new VipRotation(lb);
            ServiceStore services = new ServiceStore(dataDir);
            services.cleanStaging();
            NetworkAllocator network = new NetworkAllocator(dataDir,
                    NetworkAllocator.blockOf(DaemonScope.effectiveUid()));
            FabricModel model = FabricModel.open(dataDir, scheduler, rotation);
            String fabricId = model.fabricId();
            this.certificates = new CertificateStore(dataDir);
            InstanceBlueprints blueprints = new InstanceBlueprints(new InstanceBlueprints.Settings(dataDir, fabricId,
                    config.vcpus(), config.memoryMiB(), config.heartbeatSeconds(), config.instanceTimeouts()), network,
                    new GuestCertificates(certificates));
            DeploymentResources resources = new DeploymentResources(services, network, blueprints, rotation, images,
                    config.defaultImage(), config.vipAddress());
            this.runtime = new VmInstanceRuntime(hypervisor, dataDir, fabricId, config.gracefulStop());
            opened.add(runtime);
            this.controller = FabricController.open(dataDir, model,
                    new FabricPorts(runtime, rotation, runtime, runtime.faults(), scheduler, resources),
                    config.healing().withConcurrency(config.concurrency()), executor);
            this.deployments = new ServiceDeployments(controller, resources, images, dataDir, executor,
                    new CertificateRequirements(certificates));
            deployments.restore();
            VipProcess.reconcile(lb); // every desired endpoint is declared: drop what an adopted LB has beyond them
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
        ServiceDeployments.Created created = deployments.create(name, slot, serviceDirOrPackage, cscfg, start);
        String id = created.deployment().id();
        return new DeploymentCreation(id, name, created.operation(), deployments.endpoints(id), created.warnings());
    }

    /**
     * Delete a deployment: every instance out of rotation, drained and deleted; then its listeners, addresses,
     * service files and image references go.
     */
    public OperationRecord deleteDeployment(String deploymentId) {
        return deployments.delete(deploymentId);
    }

    /**
     * VIP swap: the deployment and the one in the other slot of its service exchange VIPs and slots (it moves when
     * that slot is empty). Done when it returns; a daemon killed in the middle completes it at its next start.
     */
    public OperationRecord swap(String deploymentId) {
        return deployments.swap(deploymentId);
    }

    public List<DeploymentSnapshot> deployments() {
        return controller.deployments();
    }

    public Optional<DeploymentSnapshot> deployment(String deploymentId) {
        return controller.view(deploymentId);
    }

    public Optional<DeploymentSnapshot> deploymentByName(String name) {
        return controller.deployments().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The VIP endpoints of a deployment, with the port each actually got ({@code 80 -> 8080}). */
    public List<VipEndpoint> endpoints(String deploymentId) {
        return deployments.endpoints(deploymentId);
    }

    /** An instance's own address and ports (reach it directly, bypassing the VIP). */
    public Optional<InstanceNetwork> instanceNetwork(String deploymentId, String instanceId) {
        return deployments.instanceNetwork(deploymentId, instanceId);
    }

    // ---- operations

    public OperationRecord perform(String deploymentId, InstanceOperation operation, List<String> instanceIds) {
        return controller.perform(deploymentId, operation, instanceIds);
    }

    public OperationRecord performOnRole(String deploymentId, String roleName, InstanceOperation operation) {
        return controller.performOnRole(deploymentId, roleName, operation);
    }

    /** Scale a role ({@link ServiceDeployments#scale}: the new instances' endpoints, the topology change). */
    public OperationRecord scale(String deploymentId, String roleName, int count) {
        return deployments.scale(deploymentId, roleName, count);
    }

    /**
     * Change Deployment Configuration in place ({@link ServiceDeployments#changeConfiguration}).
     *
     * @return the operations started (empty: the configuration is the same)
     * @throws DeploymentRejectedException the configuration is invalid for the deployment (with diagnostics)
     * @throws IllegalStateException       the change is not possible in place, or another one is running
     */
    public List<OperationRecord> changeConfiguration(String deploymentId, Path cscfg) throws DeploymentRejectedException {
        return deployments.changeConfiguration(deploymentId, cscfg);
    }

    /** Change Deployment Configuration in a mode ({@link ServiceDeployments#changeConfiguration}). */
    public List<OperationRecord> changeConfiguration(String deploymentId, Path cscfg,
                                                     org.csemu.fabric.deployment.UpgradeMode mode)
            throws DeploymentRejectedException {
        return deployments.changeConfiguration(deploymentId, cscfg, mode);
    }

    /** Upgrade Deployment ({@link ServiceDeployments#upgrade}). */
    public List<OperationRecord> upgrade(String deploymentId, Path serviceDirOrPackage, Path cscfg,
                                         org.csemu.fabric.deployment.UpgradeMode mode, String onlyRole)
            throws DeploymentRejectedException {
        return deployments.upgrade(deploymentId, serviceDirOrPackage, cscfg, mode, onlyRole);
    }

    /** Walk Upgrade Domain ({@link ServiceDeployments#walk}). */
    public OperationRecord walkUpgradeDomain(String deploymentId, int domain) {
        return deployments.walk(deploymentId, domain);
    }

    /** Rollback Update Or Upgrade ({@link ServiceDeployments#rollback}). */
    public OperationRecord rollback(String deploymentId, org.csemu.fabric.deployment.UpgradeMode mode) {
        return deployments.rollback(deploymentId, mode);
    }

    public OperationRecord suspend(String deploymentId) {
        return controller.suspend(deploymentId);
    }

    public OperationRecord resume(String deploymentId) {
        return controller.resume(deploymentId);
    }

    public OperationRecord injectFault(String deploymentId, String instanceId, InjectedFault fault) {
        return controller.injectFault(deploymentId, instanceId, fault);
    }

    public Optional<OperationRecord> operation(String operationId) {
        return controller.operation(operationId);
    }

    public OperationRecord await(String operationId, Duration deadline) throws InterruptedException {
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

    /** The certificate stores of the hosted services (docs/user-guide.md, "Certificates"). */
    public CertificateStore certificates() {
        return certificates;
    }

    /** The deployments of {@code service} whose configuration names {@code thumbprint}. */
    public List<String> deploymentsUsingCertificate(String service, Thumbprint thumbprint) {
        return deployments.usingCertificate(service, thumbprint);
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
        VipProcess.release(lb, config.dataDir());
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

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
