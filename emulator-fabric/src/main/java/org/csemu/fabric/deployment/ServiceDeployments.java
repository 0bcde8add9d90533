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
import org.csemu.fabric.service.UpgradeCheck;
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
        controller.onRolloutEnd(this::collectRevisions);
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
        for (DeploymentRecord d : controller.model().desired().deployments()) {
            collectRevisions(d.id()); // a revision a crash left half made, or one a rollout ended with
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

    /** Change Deployment Configuration in Auto mode. */
    public List<OperationRecord> changeConfiguration(String deploymentId, Path cscfg)
            throws DeploymentRejectedException {
        return changeConfiguration(deploymentId, cscfg, UpgradeMode.AUTO);
    }

    /**
     * Change Deployment Configuration (the classic in-place update): validate the new {@code .cscfg} against the
     * deployment's definition, store it as a new service revision, then apply it: new instance counts scale,
     * settings/certificate/OS image changes walk the upgrade domains in {@code mode}
     * ({@link FabricController#rollout}); an instance boots from the new revision once the walk reached it. Only one
     * change runs per deployment at a time, as in the cloud.
     *
     * @return the operations started (empty: the configuration is the same)
     * @throws DeploymentRejectedException the configuration is invalid for the deployment (with diagnostics)
     * @throws IllegalStateException       the change is not possible in place, or another one is running
     */
    public List<OperationRecord> changeConfiguration(String deploymentId, Path cscfg, UpgradeMode mode)
            throws DeploymentRejectedException {
        synchronized (configurationChangeLock) {
            DeploymentRecord d = controller.model().requireDeployment(deploymentId);
            controller.requireNoRollout(d);
            LoadedService current = resources.service(d);
            LoadResult next = resources.services().validateConfiguration(deploymentId, d.serviceRevision(), cscfg);
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
            acquireImages(deploymentId, diff.deltas());
            int revision = nextRevision(d);
            LoadedService stored;
            try {
                stored = resources.services().reconfigure(deploymentId, d.serviceRevision(), revision,
                        Files.readAllBytes(cscfg), configuration);
            } catch (IOException e) {
                throw new DeploymentRejectedException("cannot store the new configuration: " + e.getMessage(), e);
            }
            if (diff.endpointAclsChanged()) {
                resources.applyAccessControls(d, stored);
            }
            List<OperationRecord> ops = new ArrayList<>();
            if (diff.deltas().isEmpty()) {
                controller.adoptRevision(deploymentId, revision); // nothing for the instances (an ACL change)
            } else {
                ops.add(controller.rollout("ChangeConfiguration", deploymentId, diff.deltas(), mode, revision));
            }
            ops.addAll(scaleTo(d, diff.instanceCounts()));
            return ops;
        }
    }

    /**
     * Upgrade Deployment: a new package (or service directory) and configuration, validated together and against
     * the deployed definition ({@link UpgradeCheck}), become a new service revision; then every instance of the
     * upgraded roles (all, or {@code onlyRole}) is stopped, given the new role files and configuration and started,
     * upgrade domain by upgrade domain in {@code mode}, each out of rotation and drained first and back in rotation
     * once Ready. The OS disk is kept (the cloud's in-place upgrade); local storage follows
     * {@code cleanOnRoleRecycle}. Nothing changes when the input is refused.
     *
     * @throws DeploymentRejectedException the package or configuration is invalid (with diagnostics)
     * @throws IllegalStateException       the change is not possible in place, or another rollout runs
     */
    public List<OperationRecord> upgrade(String deploymentId, Path serviceDirOrPackage, Path cscfg, UpgradeMode mode,
                                         String onlyRole) throws DeploymentRejectedException {
        synchronized (configurationChangeLock) {
            DeploymentRecord d = controller.model().requireDeployment(deploymentId);
            if (d.deleting()) {
                throw new IllegalStateException("deployment '" + d.name() + "' is being deleted");
            }
            controller.requireNoRollout(d);
            LoadedService current = resources.service(d);
            String key = "upgrade:" + deploymentId;
            ServiceSource source = ServiceSource.resolve(serviceDirOrPackage, cscfg, dataDir.resolve("tmp"));
            LoadedService staged;
            try {
                staged = resources.services().stage(key, source);
            } finally {
                source.cleanup();
            }
            int revision;
            ConfigurationDiff diff;
            try {
                UpgradeCheck check = UpgradeCheck.of(current.definition(), staged.definition(), onlyRole);
                if (!check.refusals().isEmpty()) {
                    throw new IllegalStateException("not possible as an in-place upgrade of '" + d.name() + "': "
                            + String.join("; ", check.refusals()));
                }
                if (!staged.definition().name().equals(current.definition().name())) {
                    throw new IllegalStateException("the new package is service '" + staged.definition().name()
                            + "', the deployment runs service '" + current.definition().name() + "'");
                }
                requireCertificates(current.definition().name(), staged.configuration());
                diff = ConfigurationDiff.between(current.configuration(), staged.configuration());
                if (!diff.refusals().isEmpty()) {
                    throw new IllegalStateException("not possible as an in-place upgrade: "
                            + String.join("; ", diff.refusals()));
                }
                acquireImages(deploymentId, diff.deltas());
                revision = nextRevision(d);
            } catch (DeploymentRejectedException | RuntimeException e) {
                resources.services().discardStaged(key);
                throw e;
            }
            LoadedService stored = resources.services().bindRevision(deploymentId, revision, key);
            if (onlyRole != null) {
                keepRoleFiles(current, stored, onlyRole);
            }
            if (diff.endpointAclsChanged()) {
                resources.applyAccessControls(d, stored);
            }
            List<RoleConfigurationDelta> deltas = new ArrayList<>();
            for (RoleRecord role : d.roles()) {
                if (onlyRole != null && !onlyRole.equals(role.name())) {
                    continue;
                }
                deltas.add(diff.deltas().stream().filter(x -> x.role().equals(role.name())).findFirst()
                        .map(RoleConfigurationDelta::withNewPackage)
                        .orElse(RoleConfigurationDelta.newPackage(role.name())));
            }
            List<OperationRecord> ops = new ArrayList<>();
            ops.add(controller.rollout("UpgradeDeployment", deploymentId, deltas, mode, revision));
            ops.addAll(scaleTo(d, onlyRole == null ? diff.instanceCounts() : java.util.Map.of()));
            return ops;
        }
    }

    /**
     * Rollback Update Or Upgrade: the running configuration change or upgrade stops before its next domain, and the
     * instances it reached return to the previous revision, domain by domain ({@link FabricController#rollback}).
     */
    public OperationRecord rollback(String deploymentId, UpgradeMode mode) {
        synchronized (configurationChangeLock) {
            DeploymentRecord d = controller.model().requireDeployment(deploymentId);
            ConfigurationChanges.Pending running = controller.runningRollout(deploymentId).orElseThrow(() ->
                    new IllegalStateException("nothing to roll back: deployment '" + d.name() + "' has no upgrade or "
                            + "configuration change in progress (a rollback is possible only while one runs)"));
            LoadedService now = resources.service(d);
            LoadedService before = resources.service(d, running.fromRevision());
            boolean upgrade = running.kind().equals("UpgradeDeployment");
            ConfigurationDiff back = ConfigurationDiff.between(now.configuration(), before.configuration());
            List<RoleConfigurationDelta> reverse = new ArrayList<>();
            for (String role : running.deltas().stream().map(RoleConfigurationDelta::role).toList()) {
                Optional<RoleConfigurationDelta> delta = back.deltas().stream().filter(x -> x.role().equals(role))
                        .findFirst();
                if (upgrade) {
                    reverse.add(delta.map(RoleConfigurationDelta::withNewPackage)
                            .orElse(RoleConfigurationDelta.newPackage(role)));
                } else {
                    delta.ifPresent(reverse::add);
                }
            }
            if (back.endpointAclsChanged()) {
                resources.applyAccessControls(d, before);
            }
            return controller.rollback(deploymentId, reverse, mode);
        }
    }

    /** Walk Upgrade Domain of a Manual rollout ({@link FabricController#walkUpgradeDomain}). */
    public OperationRecord walk(String deploymentId, int domain) {
        return controller.walkUpgradeDomain(deploymentId, domain);
    }

    private void acquireImages(String deploymentId, List<RoleConfigurationDelta> deltas)
            throws DeploymentRejectedException {
        for (RoleConfigurationDelta delta : deltas) {
            if (delta.osImageChanged()) {
                try {
                    Image image = resources.image(delta.osImage());
                    images.acquire(image.id(), deploymentId);
                } catch (RuntimeOperationException | ImageException | IOException e) {
                    throw new DeploymentRejectedException("role " + delta.role() + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private List<OperationRecord> scaleTo(DeploymentRecord d, java.util.Map<String, Integer> counts) {
        List<OperationRecord> ops = new ArrayList<>();
        counts.forEach((role, count) -> {
            int desired = d.role(role).map(RoleRecord::instanceCount).orElse(count);
            if (count != desired) {
                ops.add(scale(d.id(), role, count));
            }
        });
        return ops;
    }

    /** The next free revision number (above every one on disk, so a leftover of a crash is never reused). */
    private int nextRevision(DeploymentRecord d) {
        int highest = Math.max(d.serviceRevision(), resources.services().revisions(d.id()).stream()
                .mapToInt(Integer::intValue).max().orElse(0));
        return highest + 1;
    }

    /** An upgrade of one role: the other roles keep their current files in the new revision. */
    private static void keepRoleFiles(LoadedService current, LoadedService next, String onlyRole) {
        for (var role : current.definition().roles()) {
            if (role.name().equals(onlyRole)) {
                continue;
            }
            try {
                org.csemu.core.util.FileTrees.delete(next.roleRoot(role.name()));
                if (Files.isDirectory(current.roleRoot(role.name()))) {
                    org.csemu.fabric.service.LinkedTree.copy(current.roleRoot(role.name()),
                            next.roleRoot(role.name()));
                }
            } catch (IOException e) {
                throw new IllegalStateException("role " + role.name() + ": cannot keep its files: " + e.getMessage(), e);
            }
        }
    }

    /** Delete the service revisions of a deployment that nothing needs any more (after a rollout ended). */
    public void collectRevisions(String deploymentId) {
        synchronized (configurationChangeLock) {
            if (controller.model().deployment(deploymentId).isEmpty()) {
                return;
            }
            java.util.Set<Integer> used = controller.revisionsInUse(deploymentId);
            for (int revision : resources.services().revisions(deploymentId)) {
                if (!used.contains(revision)) {
                    resources.services().removeRevision(deploymentId, revision);
                    LOG.info("deployment {}: service revision {} removed (no instance or rollout needs it)",
                            deploymentId, revision);
                }
            }
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
