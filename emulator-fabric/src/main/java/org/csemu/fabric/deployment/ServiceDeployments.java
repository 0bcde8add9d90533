package org.csemu.fabric.deployment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.TopologyChangeDiscovery;
import org.csemu.core.validate.LoadResult;
import org.csemu.fabric.certificates.CertificateRequirements;
import org.csemu.fabric.certificates.Thumbprint;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageException;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.runtime.DeploymentResources;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.service.ConfigurationDiff;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.ServiceSource;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the fabric does around the controller's state machine for a whole deployment: the service's files (staged,
 * bound, replaced), its images' usage references, its endpoints and addresses ({@link DeploymentResources}, attached
 * here and only here: at create, scale, configuration change and restore), the topology change after a scale, and
 * the clean-up after a delete. The controller decides and boots; this class feeds it validated input and keeps the
 * resources outside the VMs in step with the deployment records it returns.
 */
public final class ServiceDeployments {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceDeployments.class);

    /** A created deployment: its record, the operation booting it, and the validation warnings. */
    public record Created(DeploymentRecord deployment, OperationRecord operation, List<Diagnostic> warnings) {
    }

    private final FabricController controller;
    private final DeploymentResources resources;
    private final ImageRepository images;
    private final Path dataDir;
    private final Executor executor;
    private final CertificateRequirements certificates;
    /** Serialises configuration changes: the running-change check and the store of the new one are one step. */
    private final Object configurationChangeLock = new Object();

    public ServiceDeployments(FabricController controller, DeploymentResources resources, ImageRepository images,
                              Path dataDir, Executor executor, CertificateRequirements certificates) {
        this.controller = controller;
        this.resources = resources;
        this.images = images;
        this.dataDir = dataDir;
        this.executor = executor;
        this.certificates = certificates;
    }

    /**
     * Re-bind every known deployment's listeners (on the ports they had) and backends, before recovery runs, then
     * complete any VIP swap a kill cut.
     */
    public void restore() {
        for (DeploymentRecord d : controller.model().desired().deployments()) {
            try {
                resources.attach(d);
            } catch (RuntimeException e) {
                LOG.error("deployment {} ({}): endpoints not restored: {}", d.name(), d.id(), e.getMessage());
            }
        }
        try {
            controller.resumeSwaps(resources); // a swap a kill cut: its listeners are bound again, complete it
        } catch (RuntimeException e) {
            LOG.error("a VIP swap cut by the restart could not be completed: {}", e.getMessage());
        }
    }

    /**
     * Swap Deployment: the deployment and the other slot's deployment of its service exchange their VIPs and slots
     * (or it moves into the empty slot); see {@link FabricController#swap}.
     */
    public OperationRecord swap(String deploymentId) {
        return controller.swap(deploymentId, resources);
    }

    /** Stage and validate the service, take its images, create the deployment and bind its endpoints. */
    public Created create(String name, Slot slot, Path serviceDirOrPackage, Path cscfg, boolean start)
            throws DeploymentRejectedException {
        ServiceSource source = ServiceSource.resolve(serviceDirOrPackage, cscfg, dataDir.resolve("tmp"));
        LoadedService staged;
        try {
            staged = resources.services().stage(name, source);
        } finally {
            source.cleanup();
        }
        try {
            requireCertificates(staged.definition().name(), staged.configuration());
        } catch (DeploymentRejectedException e) {
            resources.services().discardStaged(name);
            throw e;
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
        FabricController.Creation creation;
        try {
            creation = controller.createDeployment(name, slot, staged.definition(), staged.configuration(), start);
        } catch (IllegalArgumentException e) {
            resources.services().discardStaged(name);
            throw new DeploymentRejectedException(e.getMessage(), e);
        }
        DeploymentRecord d = creation.deployment();
        for (Image image : used) {
            try {
                images.acquire(image.id(), d.id());
            } catch (ImageException | IOException e) {
                LOG.warn("image {} usage not recorded for {}: {}", image.shortId(), d.id(), e.getMessage());
            }
        }
        resources.attach(d);
        return new Created(d, creation.operation(), staged.warnings());
    }

    /**
     * Delete a deployment: every instance out of rotation, drained and deleted; then (in the background) its
     * listeners, addresses, service files and image references go.
     */
    public OperationRecord delete(String deploymentId) {
        OperationRecord op = controller.deleteDeployment(deploymentId);
        executor.execute(() -> {
            try {
                OperationRecord done = controller.await(op.id(), Duration.ofHours(1));
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
                    deleteIfEmpty(dataDir.resolve("deployments").resolve(deploymentId));
                } else {
                    LOG.warn("deployment {} not fully deleted: {}", deploymentId, done.errors());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return op;
    }

    /**
     * Scale a role and attach the new instances' endpoints. When the role has internal endpoints (it is part of
     * RoleEnvironment's topology), the other instances are told once the scale's runtime work is done: a topology
     * change ({@link FabricController#notifyTopology}), all at once for a {@code Blast} service, else upgrade domain
     * by upgrade domain.
     */
    public OperationRecord scale(String deploymentId, String roleName, int count) {
        Set<String> before = instanceIds(controller.model().requireDeployment(deploymentId));
        OperationRecord op = controller.scale(deploymentId, roleName, count);
        LoadedService service = resources.attach(controller.model().requireDeployment(deploymentId));
        boolean inTopology = service.definition().role(roleName)
                .map(r -> !r.endpoints().internal().isEmpty()).orElse(false);
        if (inTopology && op.total() > 0) {
            boolean blast = service.definition().topologyChangeDiscovery() == TopologyChangeDiscovery.BLAST;
            executor.execute(() -> notifyTopologyWhenDone(deploymentId, roleName, blast, op, before));
        }
        return op;
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
    public List<OperationRecord> changeConfiguration(String deploymentId, Path cscfg)
            throws DeploymentRejectedException {
        synchronized (configurationChangeLock) {
            DeploymentRecord d = controller.model().requireDeployment(deploymentId);
            Optional<String> running = controller.runningConfigurationChange(deploymentId);
            if (running.isPresent()) {
                throw new IllegalStateException("a configuration change of '" + d.name() + "' is running (operation "
                        + running.get() + "); wait for it to finish");
            }
            LoadedService current = resources.service(d);
            LoadResult next = resources.services().validateConfiguration(deploymentId, cscfg);
            if (!next.ok()) {
                throw new DeploymentRejectedException("the new configuration is invalid for deployment '" + d.name()
                        + "'", next.diagnostics(), null);
            }
            ServiceConfiguration configuration = next.configuration().orElseThrow();
            requireCertificates(current.definition().name(), configuration);
            ConfigurationDiff diff = ConfigurationDiff.between(current.configuration(), configuration);
            if (!diff.refusals().isEmpty()) {
                throw new IllegalStateException("not possible as an in-place update: " + String.join("; ",
                        diff.refusals()) + "; deploy the service anew for that (csemu remove, then csemu run)");
            }
            for (RoleConfigurationDelta delta : diff.deltas()) {
                if (delta.osImageChanged()) {
                    try {
                        Image image = resources.image(delta.osImage());
                        images.acquire(image.id(), deploymentId);
                    } catch (RuntimeOperationException | ImageException | IOException e) {
                        throw new DeploymentRejectedException("role " + delta.role() + ": " + e.getMessage(), e);
                    }
                }
            }
            LoadedService stored;
            try {
                stored = resources.services().replaceConfiguration(deploymentId, Files.readAllBytes(cscfg),
                        configuration);
            } catch (IOException e) {
                throw new DeploymentRejectedException("cannot store the new configuration: " + e.getMessage(), e);
            }
            if (diff.endpointAclsChanged()) {
                resources.applyAccessControls(d, stored);
            }
            List<OperationRecord> ops = new ArrayList<>();
            if (!diff.deltas().isEmpty()) {
                ops.add(controller.changeConfiguration(deploymentId, diff.deltas()));
            }
            diff.instanceCounts().forEach((role, count) -> {
                int desired = d.role(role).map(RoleRecord::instanceCount).orElse(count);
                if (count != desired) {
                    ops.add(scale(deploymentId, role, count));
                }
            });
            return ops;
        }
    }

    /**
     * The names of the deployments of {@code service} whose configuration names {@code thumbprint}: a certificate
     * they may still need (a new instance, a reimage) is not removed from the store under them.
     */
    public List<String> usingCertificate(String service, Thumbprint thumbprint) {
        List<String> users = new ArrayList<>();
        for (DeploymentRecord d : controller.model().desired().deployments()) {
            if (!d.serviceName().equals(service)) {
                continue;
            }
            ServiceConfiguration configuration;
            try {
                configuration = resources.service(d).configuration();
            } catch (RuntimeException e) {
                LOG.debug("deployment {}: no service to look at ({})", d.id(), e.getMessage());
                continue; // being deleted: its files are gone
            }
            boolean uses = configuration.roles().stream()
                    .flatMap(r -> r.certificates().stream()).anyMatch(c -> {
                        try {
                            return Thumbprint.parse(c.thumbprint()).equals(thumbprint);
                        } catch (IllegalArgumentException e) {
                            return false;
                        }
                    });
            if (uses) {
                users.add(d.name());
            }
        }
        return users;
    }

    /** Refuses a configuration naming a certificate its hosted service's store does not hold (the cloud's check). */
    private void requireCertificates(String service, ServiceConfiguration configuration)
            throws DeploymentRejectedException {
        List<Diagnostic> missing = certificates.missing(service, configuration);
        if (!missing.isEmpty()) {
            throw new DeploymentRejectedException("the configuration names " + missing.size() + " certificate(s) that"
                    + " the certificate store of service '" + service + "' does not hold:\n"
                    + String.join("\n", missing.stream().map(Diagnostic::format).toList()), missing, null);
        }
    }

    /** The VIP endpoints of a deployment, with the port each actually got ({@code 80 -> 8080}). */
    public List<VipEndpoint> endpoints(String deploymentId) {
        return controller.model().deployment(deploymentId).map(resources::endpoints).orElse(List.of());
    }

    /** An instance's own address and ports (reach it directly, bypassing the VIP). */
    public Optional<InstanceNetwork> instanceNetwork(String deploymentId, String instanceId) {
        return resources.network().instance(deploymentId, instanceId);
    }

    /** Until every instance of {@code ids} is Ready (or settled elsewhere: failed, stopped, gone), at most 10 min. */
    private void awaitServing(String deploymentId, Set<String> ids) throws InterruptedException {
        Set<InstanceState> booting = EnumSet.of(InstanceState.PREPARING, InstanceState.CREATING_VM,
                InstanceState.STARTING_VM, InstanceState.CREATING_ROLE, InstanceState.STARTING_ROLE);
        try {
            Poller.standard().until("new instances of " + deploymentId + " serving",
                    Deadline.after(Duration.ofMinutes(10)), () -> ids.stream().noneMatch(
                            id -> controller.state(deploymentId, id).map(booting::contains).orElse(false)));
        } catch (TimeoutException e) {
            LOG.warn("{}: {} still booting; the topology change goes out anyway", deploymentId, ids);
        }
    }

    private void notifyTopologyWhenDone(String deploymentId, String roleName, boolean blast, OperationRecord op,
                                        Set<String> before) {
        try {
            controller.await(op.id(), Duration.ofHours(1));
            Optional<DeploymentRecord> now = controller.model().deployment(deploymentId);
            Set<String> added = new HashSet<>(now.map(ServiceDeployments::instanceIds).orElse(Set.of()));
            added.removeAll(before);
            // peers learn of a new instance once it serves: a call to one that is still booting is accepted by its
            // QEMU forward and then hangs until the guest answers
            awaitServing(deploymentId, added);
            now = controller.model().deployment(deploymentId);
            if (now.map(d -> !d.deleting()).orElse(false)) {
                OperationRecord topology = controller.notifyTopology(deploymentId, roleName, blast, added);
                LOG.info("{}: topology change of role {} ({})", deploymentId, roleName, topology.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("{}: topology change of role {} not sent: {}", deploymentId, roleName, e.toString());
        }
    }

    private static Set<String> instanceIds(DeploymentRecord d) {
        return d.instances().stream().map(InstanceRecord::id).collect(Collectors.toSet());
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
}
