package org.csemu.fabric.api.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.fabric.api.AddImageRequest;
import org.csemu.fabric.api.CreateDeploymentRequest;
import org.csemu.fabric.api.DeploymentView;
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
import org.csemu.fabric.api.UploadedFile;

/**
 * A test double of the fabric: deployments with one role, operations that succeed at once, an event log, and a
 * counter of every mutation (the concurrency test checks none is lost). Test code only.
 */
public class InMemoryFabric implements FabricService {

    /** A configuration path whose name contains this fails validation with one diagnostic. */
    public static final String INVALID_MARKER = "invalid";

    private final Map<String, DeploymentView> deployments = new ConcurrentHashMap<>();
    private final Map<String, OperationView> operations = new ConcurrentHashMap<>();
    private final List<EventView> log = new CopyOnWriteArrayList<>();
    private final List<Consumer<EventView>> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong opIds = new AtomicLong();
    private final AtomicLong mutations = new AtomicLong();
    private final Map<String, AtomicLong> scaleCounts = new ConcurrentHashMap<>();
    private final List<CreateDeploymentRequest> created = new CopyOnWriteArrayList<>();
    private volatile Boolean shutdownWith;
    /** The real certificate store, on a temporary directory of its own; {@link #useCertificate} marks one in use. */
    private final Map<String, List<String>> certificateUsers = new ConcurrentHashMap<>();
    private org.csemu.fabric.api.wiring.CertificateCalls certificateCalls;
    private Path certificateDir;

    /** Made on first use, so that fakes that never see a certificate leave no directory behind. */
    private synchronized org.csemu.fabric.api.wiring.CertificateCalls certificates() {
        if (certificateCalls == null) {
            try {
                certificateDir = java.nio.file.Files.createTempDirectory("csemu-inmemory-certs-");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            certificateCalls = new org.csemu.fabric.api.wiring.CertificateCalls(
                    new org.csemu.fabric.certificates.CertificateStore(certificateDir),
                    new org.csemu.fabric.certificates.SelfSignedCertificates(certificateDir.resolve("tmp")),
                    (service, thumbprint) -> certificateUsers.getOrDefault(service + "/" + thumbprint.hex(), List.of()));
        }
        return certificateCalls;
    }

    /** The directory of the certificate store (null before the first certificate call). */
    public synchronized Path certificateDirectory() {
        return certificateDir;
    }

    /** Pretends deployment {@code deployment} of {@code service} names the certificate. */
    public void useCertificate(String service, String thumbprint, String deployment) {
        certificateUsers.put(service + "/" + thumbprint, List.of(deployment));
    }

    public long mutations() {
        return mutations.get();
    }

    public long scaleCalls(String deploymentId) {
        return scaleCounts.getOrDefault(deploymentId, new AtomicLong()).get();
    }

    public List<CreateDeploymentRequest> created() {
        return List.copyOf(created);
    }

    public Boolean shutdownWith() {
        return shutdownWith;
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    /** Adds a Running deployment with one role of {@code instances} ReadyRole instances. */
    public DeploymentView addDeployment(String id, int instances) {
        List<InstanceView> list = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            list.add(new InstanceView("WebRole_IN_" + i, "WebRole", "ReadyRole", Instant.now(), null, null, "Started",
                    i % 5, i % 2, "127.255.0." + (i + 1), true, List.of()));
        }
        DeploymentView d = new DeploymentView(id, id, "Running", "127.0.0.1", Instant.now(),
                List.of(new RoleView("WebRole", "WebRole", "base", instances, list)), List.of(), List.of());
        deployments.put(id, d);
        return d;
    }

    /** Appends an event to the log and delivers it to subscribers. */
    public EventView publish(String deploymentId, String instanceId, String type, String from, String to) {
        EventView e = new EventView(sequence.incrementAndGet(), Instant.now(), deploymentId, instanceId, type, from, to,
                type + " " + instanceId);
        log.add(e);
        subscribers.forEach(s -> s.accept(e));
        return e;
    }

    @Override
    public List<DeploymentView> listDeployments() {
        return deployments.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList();
    }

    @Override
    public DeploymentView getDeployment(String deploymentId) {
        DeploymentView d = deployments.get(deploymentId);
        if (d == null) {
            throw FabricException.notFound("Deployment", deploymentId);
        }
        return d;
    }

    @Override
    public OperationView createDeployment(CreateDeploymentRequest request) {
        if (request.configuration().path().toString().contains(INVALID_MARKER)) {
            throw FabricException.validationFailed("the service configuration is invalid", List.of(
                    new Diagnostic(request.configuration().path().toString(), 3, 7, Severity.ERROR, "CSCFG001",
                            "role 'Web' is not defined", "add the role to the definition")));
        }
        String name = request.name() == null ? "deployment-" + (deployments.size() + 1) : request.name();
        if (deployments.containsKey(name)) {
            throw FabricException.conflict("DeploymentExists", "a deployment named '" + name + "' exists");
        }
        created.add(request);
        consume(request.service());
        consume(request.configuration());
        DeploymentView d = addDeployment(name, 1);
        if (request.staging()) {
            deployments.put(name, withSlot(d, "Staging"));
        }
        return operation("CreateDeployment", "deployments/" + name);
    }

    /** Reads an uploaded file's size (to prove it arrived whole), then deletes it as the contract asks. */
    private final Map<Path, Long> consumedSizes = new ConcurrentHashMap<>();

    public Map<Path, Long> consumedSizes() {
        return Map.copyOf(consumedSizes);
    }

    private void consume(UploadedFile f) {
        if (!f.temporary()) {
            return;
        }
        try {
            consumedSizes.put(f.path(), Files.size(f.path()));
            Files.deleteIfExists(f.path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public OperationView deleteDeployment(String deploymentId) {
        getDeployment(deploymentId);
        deployments.remove(deploymentId);
        return operation("DeleteDeployment", "deployments/" + deploymentId);
    }

    @Override
    public OperationView suspendDeployment(String deploymentId) {
        DeploymentView d = getDeployment(deploymentId);
        if (d.status().equals("Suspended")) {
            throw FabricException.conflict("IllegalStateTransition", "deployment '" + deploymentId
                    + "' is already Suspended");
        }
        deployments.put(deploymentId, withStatus(d, "Suspended"));
        return operation("SuspendDeployment", "deployments/" + deploymentId);
    }

    @Override
    public OperationView resumeDeployment(String deploymentId) {
        DeploymentView d = getDeployment(deploymentId);
        deployments.put(deploymentId, withStatus(d, "Running"));
        return operation("ResumeDeployment", "deployments/" + deploymentId);
    }

    /** Every deployment is of one service here: the swap exchanges the slots of all of them. */
    @Override
    public OperationView swapDeployment(String deploymentId) {
        getDeployment(deploymentId);
        for (DeploymentView d : List.copyOf(deployments.values())) {
            deployments.put(d.id(), withSlot(d, d.slot().equals("Production") ? "Staging" : "Production"));
        }
        return operation("SwapDeployment", "deployments/" + deploymentId);
    }

    private static DeploymentView withStatus(DeploymentView d, String status) {
        return new DeploymentView(d.id(), d.name(), status, d.vip(), d.createdAt(), d.roles(), d.endpoints(),
                d.warnings(), d.slot());
    }

    private static DeploymentView withSlot(DeploymentView d, String slot) {
        return new DeploymentView(d.id(), d.name(), d.status(), d.vip(), d.createdAt(), d.roles(), d.endpoints(),
                d.warnings(), slot);
    }

    @Override
    public OperationView updateConfiguration(String deploymentId, UploadedFile configuration, String mode) {
        getDeployment(deploymentId);
        consume(configuration);
        return operation("ChangeConfiguration", "deployments/" + deploymentId);
    }

    @Override
    public OperationView upgradeDeployment(String deploymentId, org.csemu.fabric.api.UpgradeRequest request) {
        getDeployment(deploymentId);
        consume(request.configuration());
        return operation("UpgradeDeployment", "deployments/" + deploymentId);
    }

    @Override
    public OperationView walkUpgradeDomain(String deploymentId, int upgradeDomain) {
        getDeployment(deploymentId);
        throw FabricException.conflict("Conflict", "no upgrade in progress");
    }

    @Override
    public OperationView rollbackUpdateOrUpgrade(String deploymentId, String mode) {
        getDeployment(deploymentId);
        throw FabricException.conflict("Conflict", "nothing to roll back");
    }

    @Override
    public OperationView scaleRole(String deploymentId, String roleName, int instanceCount) {
        getDeployment(deploymentId);
        scaleCounts.computeIfAbsent(deploymentId, k -> new AtomicLong()).incrementAndGet();
        return operation("ScaleRole", "deployments/" + deploymentId + "/roles/" + roleName);
    }

    @Override
    public InstanceView getInstance(String deploymentId, String instanceId) {
        return getDeployment(deploymentId).roles().stream().flatMap(r -> r.instances().stream())
                .filter(i -> i.id().equals(instanceId)).findFirst()
                .orElseThrow(() -> FabricException.notFound("Instance", instanceId));
    }

    @Override
    public OperationView instanceAction(String deploymentId, String instanceId, InstanceAction action) {
        getInstance(deploymentId, instanceId);
        return operation(action.name(), "deployments/" + deploymentId + "/instances/" + instanceId);
    }

    @Override
    public String console(String deploymentId, String instanceId, int tailLines) {
        getInstance(deploymentId, instanceId);
        List<String> lines = List.of("boot", "agent: hello", "agent: ready");
        return String.join("\n", tailLines <= 0 ? lines : lines.subList(Math.max(0, lines.size() - tailLines),
                lines.size())) + "\n";
    }

    @Override
    public java.util.concurrent.CompletableFuture<Integer> exec(String deploymentId, String instanceId,
            String command, boolean elevated, byte[] stdin, java.util.function.Consumer<String> output) {
        getInstance(deploymentId, instanceId);
        output.accept((elevated ? "# " : "$ ") + command);
        if (stdin.length > 0) {
            output.accept("stdin: " + new String(stdin, java.nio.charset.StandardCharsets.UTF_8));
        }
        return java.util.concurrent.CompletableFuture.completedFuture(command.startsWith("exit ")
                ? Integer.parseInt(command.substring(5).trim()) : 0);
    }

    /** The last terminal opened (tests read whether the relay closed it). */
    public volatile EchoTerminal lastTerminal;

    @Override
    public org.csemu.fabric.api.TerminalSession openTerminal(String deploymentId, String instanceId, boolean elevated,
            int rows, int cols) {
        getInstance(deploymentId, instanceId);
        lastTerminal = new EchoTerminal(elevated, rows, cols);
        return lastTerminal;
    }

    @Override
    public OperationView injectFault(String deploymentId, String instanceId, FaultKind kind) {
        getInstance(deploymentId, instanceId);
        return operation("InjectFault:" + kind.wireName(), "deployments/" + deploymentId + "/instances/" + instanceId);
    }

    @Override
    public List<org.csemu.fabric.api.CertificateView> listCertificates(String service) {
        return certificates().list(service);
    }

    @Override
    public org.csemu.fabric.api.CertificateView addCertificate(org.csemu.fabric.api.AddCertificateRequest request) {
        mutations.incrementAndGet();
        return certificates().add(request);
    }

    @Override
    public void deleteCertificate(String service, String thumbprint) {
        certificates().delete(service, thumbprint);
        mutations.incrementAndGet();
    }

    @Override
    public List<ImageView> listImages() {
        return List.of(new ImageView("sha256:00", "base", "qcow2", 1024, true, true, Instant.EPOCH, List.of()));
    }

    @Override
    public OperationView addImage(AddImageRequest request) {
        return operation("AddImage", "images/" + request.name());
    }

    @Override
    public void deleteImage(String imageId) {
        if (imageId.equals("base")) {
            throw FabricException.conflict("ImageInUse", "image 'base' is used by a deployment");
        }
        throw FabricException.notFound("Image", imageId);
    }

    @Override
    public OperationView getOperation(String operationId) {
        OperationView op = operations.get(operationId);
        if (op == null) {
            throw FabricException.notFound("Operation", operationId);
        }
        return op;
    }

    @Override
    public List<EventView> events(String deploymentId, long afterSequence, int limit) {
        return log.stream().filter(e -> e.sequence() > afterSequence)
                .filter(e -> deploymentId == null || deploymentId.equals(e.deploymentId()))
                .limit(limit).toList();
    }

    @Override
    public EventSubscription subscribe(Consumer<EventView> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    @Override
    public void shutdown(boolean stopInstances) {
        shutdownWith = stopInstances;
    }

    private OperationView operation(String kind, String target) {
        mutations.incrementAndGet();
        Instant now = Instant.now();
        OperationView op = new OperationView("op-" + opIds.incrementAndGet(), kind, target, OperationStatus.Succeeded,
                now, now, null);
        operations.put(op.id(), op);
        return op;
    }
}
