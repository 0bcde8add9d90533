package org.csemu.fabric.api.wiring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.api.AddImageRequest;
import org.csemu.fabric.api.BackendView;
import org.csemu.fabric.api.CreateDeploymentRequest;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.DiagnosticView;
import org.csemu.fabric.api.EndpointView;
import org.csemu.fabric.api.ErrorKind;
import org.csemu.fabric.api.ErrorView;
import org.csemu.fabric.api.EventSubscription;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FaultKind;
import org.csemu.fabric.api.ImageView;
import org.csemu.fabric.api.InstanceAction;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.OperationStatus;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.api.RoleView;
import org.csemu.fabric.api.TerminalSession;
import org.csemu.fabric.api.UploadedFile;
import org.csemu.fabric.api.UpgradeRequest;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.InjectedFault;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.RoleRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageException;
import org.csemu.fabric.image.ImageSource;
import org.csemu.fabric.lifecycle.IllegalTransitionException;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.TransitionTable;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.runtime.TerminalBusyException;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.service.InstanceNetwork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link FabricService}: the management API's facade over the assembled {@link Fabric} (controller,
 * libvirt substrate, VIP load balancer). It translates names (a deployment may be named by id or by name), shapes
 * the controller's records into the API's views, and maps every refusal to a {@link FabricException} with a stable
 * code; it adds no behaviour of its own beyond the event journal that numbers the controller's event logs. The views
 * are shaped by {@link ApiViews}.
 *
 * <p>Over 400 lines on purpose: one method per {@link FabricService} call (twenty-three; the certificate calls
 * delegate to {@link CertificateCalls}), each resolving names and mapping refusals the same way; the shared helpers
 * are at the bottom.
 */
public final class FabricServiceAdapter implements FabricService {
    private static final Logger LOG = LoggerFactory.getLogger(FabricServiceAdapter.class);

    private final Fabric fabric;
    private final EventJournal journal;
    private final Map<String, List<DiagnosticView>> warnings = new ConcurrentHashMap<>();
    private final Map<String, OperationView> localOperations = new ConcurrentHashMap<>();
    private final Map<String, Composite> composites = new ConcurrentHashMap<>();
    private final AtomicLong localOperationIds = new AtomicLong();
    private final ApiViews views;
    private final CertificateCalls certificates;

    public FabricServiceAdapter(Fabric fabric) {
        this(fabric, 250);
    }

    FabricServiceAdapter(Fabric fabric, long eventPollMillis) {
        this.fabric = fabric;
        this.views = new ApiViews(fabric, warnings);
        this.certificates = new CertificateCalls(fabric);
        this.journal = new EventJournal(
                () -> fabric.controller().model().desired().deployments().stream().map(DeploymentRecord::id).toList(),
                fabric::events, fabric.config().dataDir().resolve("api-events.jsonl")).start(eventPollMillis);
    }

    public Fabric fabric() {
        return fabric;
    }

    // --- deployments -------------------------------------------------------------------------------------------

    @Override
    public List<DeploymentView> listDeployments() {
        return fabric.deployments().stream().map(views::deployment).toList();
    }

    @Override
    public DeploymentView getDeployment(String deploymentId) {
        String id = resolve(deploymentId).id();
        return fabric.deployment(id).map(views::deployment).orElseThrow(() -> FabricException.notFound("Deployment", deploymentId));
    }

    @Override
    public OperationView createDeployment(CreateDeploymentRequest request) {
        String name = request.name() != null && !request.name().isBlank() ? request.name().trim()
                : freeName(defaultName(request.service()));
        requireSafeName(name);
        try {
            Fabric.DeploymentCreation created = fabric.createDeployment(name,
                    request.staging() ? Slot.STAGING : Slot.PRODUCTION,
                    request.service().path(), request.configuration().path(), request.start());
            List<DiagnosticView> w = created.warnings().stream().map(DiagnosticView::of).toList();
            warnings.put(created.deploymentId(), w);
            if (request.treatWarningsAsErrors() && !w.isEmpty()) {
                LOG.info("deployment {} has warnings and treatWarningsAsErrors: removing it", name);
                fabric.deleteDeployment(created.deploymentId());
                throw FabricException.validationFailed("the service has " + w.size() + " warning(s) and"
                        + " treatWarningsAsErrors is set", created.warnings());
            }
            return ApiViews.operation(created.operation());
        } catch (DeploymentRejectedException e) {
            throw rejected(e);
        } finally {
            deleteIfTemporary(request.service());
            deleteIfTemporary(request.configuration());
        }
    }

    @Override
    public OperationView deleteDeployment(String deploymentId) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.deleteDeployment(d.id())));
    }

    @Override
    public OperationView suspendDeployment(String deploymentId) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.suspend(d.id())));
    }

    @Override
    public OperationView resumeDeployment(String deploymentId) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.resume(d.id())));
    }

    @Override
    public OperationView swapDeployment(String deploymentId) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.swap(d.id())));
    }

    @Override
    public OperationView updateConfiguration(String deploymentId, UploadedFile configuration, String mode) {
        DeploymentRecord d = resolve(deploymentId);
        try {
            return combined("UpdateConfiguration", d, ConfigurationUpdate.apply(fabric, d, configuration.path(), mode));
        } catch (DeploymentRejectedException e) {
            throw rejected(e);
        } finally {
            deleteIfTemporary(configuration);
        }
    }

    @Override
    public OperationView upgradeDeployment(String deploymentId, UpgradeRequest request) {
        DeploymentRecord d = resolve(deploymentId);
        try {
            return combined("UpgradeDeployment", d, ConfigurationUpdate.upgrade(fabric, d, request.service().path(),
                    request.configuration().path(), request.mode(), request.role()));
        } catch (DeploymentRejectedException e) {
            throw rejected(e);
        } finally {
            deleteIfTemporary(request.service());
            deleteIfTemporary(request.configuration());
        }
    }

    @Override
    public OperationView walkUpgradeDomain(String deploymentId, int upgradeDomain) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.walkUpgradeDomain(d.id(), upgradeDomain)));
    }

    @Override
    public OperationView rollbackUpdateOrUpgrade(String deploymentId, String mode) {
        DeploymentRecord d = resolve(deploymentId);
        return call(() -> ApiViews.operation(fabric.rollback(d.id(), ConfigurationUpdate.mode(mode))));
    }

    /** One operation for the caller: the single one started, a completed one for none, else a composite. */
    private OperationView combined(String kind, DeploymentRecord d, List<OperationRecord> ops) {
        if (ops.size() == 1) {
            return ApiViews.operation(ops.get(0));
        }
        if (ops.isEmpty()) {
            return completed(kind, "deployments/" + d.name(), null);
        }
        String id = "config-" + localOperationIds.incrementAndGet();
        composites.put(id, new Composite(kind, "deployments/" + d.name(),
                ops.stream().map(OperationRecord::id).toList(), Instant.now()));
        return getOperation(id);
    }

    @Override
    public OperationView scaleRole(String deploymentId, String roleName, int instanceCount) {
        DeploymentRecord d = resolve(deploymentId);
        if (d.role(roleName).isEmpty()) {
            throw FabricException.notFound("Role", roleName);
        }
        if (instanceCount < 0) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", "the instance count must not be negative");
        }
        return call(() -> ApiViews.operation(fabric.scale(d.id(), roleName, instanceCount)));
    }

    // --- role instances ----------------------------------------------------------------------------------------

    @Override
    public InstanceView getInstance(String deploymentId, String instanceId) {
        DeploymentRecord d = resolve(deploymentId);
        DeploymentSnapshot v = fabric.deployment(d.id())
                .orElseThrow(() -> FabricException.notFound("Deployment", deploymentId));
        List<VipEndpoint> vip = fabric.endpoints(d.id());
        return v.instances().stream().filter(i -> i.ref().instanceId().equals(instanceId)).findFirst()
                .map(i -> views.instance(i, vip))
                .orElseThrow(() -> FabricException.notFound("Instance", instanceId));
    }

    @Override
    public OperationView instanceAction(String deploymentId, String instanceId, InstanceAction action) {
        DeploymentRecord d = resolve(deploymentId);
        requireInstance(d, instanceId);
        InstanceOperation op = switch (action) {
            case REBOOT -> InstanceOperation.REBOOT;
            case REIMAGE -> InstanceOperation.REIMAGE;
            case REBUILD -> InstanceOperation.REBUILD;
            case STOP -> InstanceOperation.STOP;
            case START -> InstanceOperation.START;
        };
        return call(() -> ApiViews.operation(fabric.perform(d.id(), op, List.of(instanceId))));
    }

    @Override
    public String console(String deploymentId, String instanceId, int tailLines) {
        DeploymentRecord d = resolve(deploymentId);
        String role = requireInstance(d, instanceId);
        Path log = fabric.runtime().paths(new InstanceRef(d.id(), role, instanceId)).consoleLog();
        try {
            return ConsoleTail.read(log, tailLines);
        } catch (IOException e) {
            throw new FabricException(ErrorKind.INTERNAL, "ConsoleUnreadable", "cannot read " + log + ": "
                    + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public OperationView injectFault(String deploymentId, String instanceId, FaultKind kind) {
        DeploymentRecord d = resolve(deploymentId);
        requireInstance(d, instanceId);
        InjectedFault fault = fault(kind);
        return call(() -> ApiViews.operation(fabric.injectFault(d.id(), instanceId, fault)));
    }

    @Override
    public CompletableFuture<Integer> exec(String deploymentId, String instanceId, String command, boolean elevated,
            byte[] stdin, Consumer<String> output) {
        InstanceRef ref = guestRunning(deploymentId, instanceId, "exec");
        try {
            return fabric.runtime().exec(ref, command, elevated, stdin, output);
        } catch (RuntimeOperationException e) {
            throw new FabricException(ErrorKind.CONFLICT, "InstanceNotRunning", e.getMessage(), List.of(), e);
        }
    }

    @Override
    public TerminalSession openTerminal(String deploymentId, String instanceId, boolean elevated, int rows, int cols) {
        InstanceRef ref = guestRunning(deploymentId, instanceId, "a shell");
        try {
            return fabric.runtime().openTerminal(ref, elevated, rows, cols);
        } catch (TerminalBusyException e) {
            throw new FabricException(ErrorKind.CONFLICT, "TerminalBusy", e.getMessage(), List.of(), e);
        } catch (RuntimeOperationException e) {
            throw new FabricException(ErrorKind.CONFLICT, "InstanceNotRunning", e.getMessage(), List.of(), e);
        }
    }

    /** The instance, when its guest agent runs and takes commands; else 409 with the state and the way out. */
    private InstanceRef guestRunning(String deploymentId, String instanceId, String what) {
        DeploymentRecord d = resolve(deploymentId);
        String role = requireInstance(d, instanceId);
        InstanceState state = fabric.controller().state(d.id(), instanceId).orElseThrow();
        if (!TransitionTable.GUEST_AGENT_UP.contains(state)) {
            throw new FabricException(ErrorKind.CONFLICT, "InstanceNotRunning", "instance '" + instanceId + "' is "
                    + state.cloudName() + ": " + what + " needs its guest running (start it: csemu start " + instanceId
                    + ")", List.of(), null);
        }
        return new InstanceRef(d.id(), role, instanceId);
    }

    /** The controller's fault for an API fault kind: each is executed as what its name says. */
    static InjectedFault fault(FaultKind kind) {
        return switch (kind) {
            case HOST_FAILURE -> InjectedFault.HOST_FAILURE;
            // a real guest kernel panic (reported by pvpanic); a killed QEMU is the other way a domain dies unasked
            case GUEST_CRASH -> InjectedFault.GUEST_CRASH;
            case KILL_QEMU -> InjectedFault.KILL_PROCESS;
            case AGENT_HANG -> InjectedFault.STOP_HEARTBEATS;
            case PAUSE -> InjectedFault.PAUSE;
            case FAIL_NEXT_BOOT -> InjectedFault.FAIL_NEXT_BOOT;
        };
    }

    // --- certificates ------------------------------------------------------------------------------------------

    @Override
    public List<org.csemu.fabric.api.CertificateView> listCertificates(String service) {
        return certificates.list(service);
    }

    @Override
    public org.csemu.fabric.api.CertificateView addCertificate(org.csemu.fabric.api.AddCertificateRequest request) {
        return certificates.add(request);
    }

    @Override
    public void deleteCertificate(String service, String thumbprint) {
        certificates.delete(service, thumbprint);
    }

    // --- images ------------------------------------------------------------------------------------------------

    @Override
    public List<ImageView> listImages() {
        try {
            List<ImageView> out = new ArrayList<>();
            for (Image i : fabric.images().list()) {
                out.add(views.image(i));
            }
            return out;
        } catch (IOException e) {
            throw internal("cannot list the image repository", e);
        }
    }

    @Override
    public OperationView addImage(AddImageRequest request) {
        try {
            Image image = fabric.images().add(new ImageSource(request.name(), request.disk().path(), request.format(),
                    request.kernel() == null ? null : request.kernel().path(),
                    request.initrd() == null ? null : request.initrd().path(), request.kernelCommandLine()));
            if (request.makeDefault() && !image.names().contains(fabric.config().defaultImage())) {
                fabric.images().add(new ImageSource(fabric.config().defaultImage(), request.disk().path(),
                        request.format(), request.kernel() == null ? null : request.kernel().path(),
                        request.initrd() == null ? null : request.initrd().path(), request.kernelCommandLine()));
            }
            return completed("AddImage", "images/" + request.name(), null);
        } catch (ImageException | IllegalArgumentException e) {
            throw new FabricException(ErrorKind.VALIDATION_FAILED, "ImageRejected", e.getMessage(), List.of(), e);
        } catch (IOException e) {
            throw internal("cannot add the image", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw internal("interrupted while adding the image", e);
        } finally {
            deleteIfTemporary(request.disk());
            deleteIfTemporary(request.kernel());
            deleteIfTemporary(request.initrd());
        }
    }

    @Override
    public void deleteImage(String imageId) {
        try {
            Image image = fabric.images().inspect(imageId).orElseThrow(() -> FabricException.notFound("Image", imageId));
            if (!fabric.images().users(image.id()).isEmpty()) {
                throw FabricException.conflict("ImageInUse", "image '" + imageId + "' is used by deployment(s) "
                        + fabric.images().users(image.id()) + "; remove them first");
            }
            fabric.images().remove(image.id());
        } catch (ImageException e) {
            throw FabricException.conflict("ImageInUse", e.getMessage());
        } catch (IOException e) {
            throw internal("cannot remove the image", e);
        }
    }

    // --- operations and events ---------------------------------------------------------------------------------

    @Override
    public OperationView getOperation(String operationId) {
        OperationView local = localOperations.get(operationId);
        if (local != null) {
            return local;
        }
        Composite composite = composites.get(operationId);
        if (composite != null) {
            return composite(operationId, composite);
        }
        return fabric.operation(operationId).map(ApiViews::operation)
                .orElseThrow(() -> FabricException.notFound("Operation", operationId));
    }

    @Override
    public List<EventView> events(String deploymentId, long afterSequence, int limit) {
        String id = deploymentId == null ? null : resolveId(deploymentId);
        journal.poll();
        return journal.after(id, afterSequence, limit);
    }

    @Override
    public EventSubscription subscribe(Consumer<EventView> listener) {
        return journal.subscribe(listener);
    }

    @Override
    public void shutdown(boolean stopInstances) {
        journal.close();
        fabric.close(stopInstances ? Fabric.Shutdown.STOP_INSTANCES : Fabric.Shutdown.LEAVE_RUNNING);
    }

    /** Several controller operations shown as one (a configuration change scaling several roles). */
    private record Composite(String kind, String target, List<String> parts, Instant started) {
    }

    private OperationView composite(String id, Composite c) {
        List<OperationView> parts = c.parts().stream().map(p -> fabric.operation(p).map(ApiViews::operation).orElse(null))
                .filter(java.util.Objects::nonNull).toList();
        boolean running = parts.stream().anyMatch(p -> p.status() == OperationStatus.InProgress);
        List<String> errors = parts.stream().filter(p -> p.error() != null).map(p -> p.error().message()).toList();
        OperationStatus status = running ? OperationStatus.InProgress
                : errors.isEmpty() ? OperationStatus.Succeeded : OperationStatus.Failed;
        Instant finished = running ? null : parts.stream().map(OperationView::finishedAt)
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(c.started());
        return new OperationView(id, c.kind(), c.target(), status, c.started(), finished, errors.isEmpty() ? null
                : new ErrorView("OperationFailed", String.join("; ", errors), List.of()));
    }

    private OperationView completed(String kind, String target, ErrorView error) {
        Instant now = Instant.now();
        String id = "local-" + localOperationIds.incrementAndGet();
        OperationView v = new OperationView(id, kind, target, error == null ? OperationStatus.Succeeded
                : OperationStatus.Failed, now, now, error);
        localOperations.put(id, v);
        return v;
    }

    // --- names and errors --------------------------------------------------------------------------------------

    /** A deployment named by its id or its name. */
    private DeploymentRecord resolve(String idOrName) {
        List<DeploymentRecord> all = fabric.controller().model().desired().deployments();
        return all.stream().filter(d -> d.id().equals(idOrName)).findFirst()
                .or(() -> all.stream().filter(d -> d.name().equals(idOrName)).findFirst())
                .orElseThrow(() -> FabricException.notFound("Deployment", idOrName));
    }

    private String resolveId(String idOrName) {
        try {
            return resolve(idOrName).id();
        } catch (FabricException e) {
            return idOrName; // a deleted deployment's events stay readable by id
        }
    }

    private static String requireInstance(DeploymentRecord d, String instanceId) {
        return d.instance(instanceId).map(i -> i.role()).orElseThrow(() -> new FabricException(ErrorKind.NOT_FOUND,
                "InstanceNotFound", "instance '" + instanceId + "' does not exist in deployment '" + d.name()
                        + "' (it has " + d.instances().stream().map(i -> i.id()).toList() + ")"));
    }

    /** {@code base}, or {@code base-2}, {@code base-3}, ... when taken. */
    private String freeName(String base) {
        List<String> taken = fabric.controller().model().desired().deployments().stream().map(DeploymentRecord::name)
                .toList();
        String candidate = base;
        for (int n = 2; taken.contains(candidate); n++) {
            candidate = base + "-" + n;
        }
        return candidate;
    }

    static String defaultName(UploadedFile service) {
        String file = service.originalName() == null ? service.path().getFileName().toString()
                : Path.of(service.originalName()).getFileName().toString();
        String base = file.toLowerCase(Locale.ROOT).replaceAll("\\.cspkg$", "").replaceAll("[^a-z0-9_.-]", "-")
                .replaceAll("^[^a-z0-9]+", "");
        return base.isEmpty() ? "deployment" : base.length() > 60 ? base.substring(0, 60) : base;
    }

    private static void requireSafeName(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}") || name.contains("..")) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", "deployment name '" + name
                    + "' is not allowed: use letters, digits, '_', '-', '.' (at most 64, starting with a letter or digit)");
        }
    }

    private static FabricException rejected(DeploymentRejectedException e) {
        String m = e.getMessage() == null ? "the deployment was refused" : e.getMessage();
        if (!e.diagnostics().isEmpty()) {
            boolean errors = e.diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR);
            return new FabricException(ErrorKind.VALIDATION_FAILED, "ValidationFailed", errors ? m
                    : m + " (see diagnostics)", e.diagnostics(), e);
        }
        if (m.contains("exists already") || m.contains("slot of service")) {
            return new FabricException(ErrorKind.CONFLICT, "DeploymentExists", m, List.of(), e);
        }
        return new FabricException(ErrorKind.VALIDATION_FAILED, "DeploymentRejected", m, List.<Diagnostic>of(), e);
    }

    private static FabricException internal(String what, Exception e) {
        return new FabricException(ErrorKind.INTERNAL, "InternalError", what + ": " + e.getMessage(), List.of(), e);
    }

    /** Runs a controller call, mapping its refusals to API errors. */
    private static <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalTransitionException e) {
            throw new FabricException(ErrorKind.CONFLICT, "IllegalStateTransition", e.getMessage(), List.of(), e);
        } catch (java.util.NoSuchElementException e) {
            throw new FabricException(ErrorKind.NOT_FOUND, "NotFound", e.getMessage(), List.of(), e);
        } catch (IllegalArgumentException e) {
            throw new FabricException(ErrorKind.BAD_REQUEST, "BadRequest", e.getMessage(), List.of(), e);
        } catch (IllegalStateException e) {
            throw new FabricException(ErrorKind.CONFLICT, "Conflict", e.getMessage(), List.of(), e);
        }
    }

    private static void deleteIfTemporary(UploadedFile f) {
        if (f != null && f.temporary()) {
            try {
                Files.deleteIfExists(f.path());
            } catch (IOException e) {
                LOG.debug("upload {} not deleted: {}", f.path(), e.toString());
            }
        }
    }
}
