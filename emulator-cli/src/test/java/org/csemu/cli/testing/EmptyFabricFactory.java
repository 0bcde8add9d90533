package org.csemu.cli.testing;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.fabric.api.AddImageRequest;
import org.csemu.fabric.api.CreateDeploymentRequest;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.ErrorView;
import org.csemu.fabric.api.EventSubscription;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.FabricContext;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.api.FabricService;
import org.csemu.fabric.api.FabricServiceFactory;
import org.csemu.fabric.api.FaultKind;
import org.csemu.fabric.api.ImageView;
import org.csemu.fabric.api.InstanceAction;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.OperationStatus;
import org.csemu.fabric.api.OperationView;
import org.csemu.fabric.api.UploadedFile;

/**
 * The fabric of CLI tests (test classpath only): no deployments; every create fails validation; two fixed
 * operations, one that never ends and one that failed; an event log with two entries to which tests can publish.
 * Enough to drive the daemon commands and the client.
 */
public final class EmptyFabricFactory implements FabricServiceFactory {

    /** The fabric most recently opened in this JVM (tests publish events through it). */
    public static volatile EmptyFabric lastOpened;

    @Override
    public FabricService open(FabricContext context) {
        lastOpened = new EmptyFabric(context.dataDirectory());
        return lastOpened;
    }

    /** See the class comment. */
    public static final class EmptyFabric implements FabricService {

        /** The real certificate store on the daemon's data directory; no deployment uses a certificate here. */
        private final org.csemu.fabric.api.wiring.CertificateCalls certificates;

        EmptyFabric(java.nio.file.Path dataDirectory) {
            certificates = new org.csemu.fabric.api.wiring.CertificateCalls(
                    new org.csemu.fabric.certificates.CertificateStore(dataDirectory),
                    new org.csemu.fabric.certificates.SelfSignedCertificates(dataDirectory.resolve("tmp")),
                    (service, thumbprint) -> List.of());
        }

        @Override
        public List<org.csemu.fabric.api.CertificateView> listCertificates(String service) {
            return certificates.list(service);
        }

        @Override
        public org.csemu.fabric.api.CertificateView addCertificate(org.csemu.fabric.api.AddCertificateRequest r) {
            return certificates.add(r);
        }

        @Override
        public void deleteCertificate(String service, String thumbprint) {
            certificates.delete(service, thumbprint);
        }

        private final List<EventView> log = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(
                new EventView(1, Instant.EPOCH, "d", "WebRole_IN_0", "StateChanged", "CreatingVM", "StartingVM", "1"),
                new EventView(2, Instant.EPOCH, "d", "WebRole_IN_0", "StateChanged", "StartingVM", "ReadyRole", "2")));
        private final List<Consumer<EventView>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

        public int listenerCount() {
            return listeners.size();
        }

        public void publish(EventView e) {
            log.add(e);
            listeners.forEach(l -> l.accept(e));
        }

        @Override
        public List<DeploymentView> listDeployments() {
            return List.of();
        }

        @Override
        public DeploymentView getDeployment(String id) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView createDeployment(CreateDeploymentRequest request) {
            if (request.service().temporary()) {
                request.service().path().toFile().delete();
            }
            throw FabricException.validationFailed("the service is invalid", List.of(new Diagnostic("cfg.cscfg", 3, 7,
                    Severity.ERROR, "CSCFG001", "role 'Web' is not defined", "add it to the definition")));
        }

        @Override
        public OperationView deleteDeployment(String id) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView suspendDeployment(String id) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView swapDeployment(String id) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView resumeDeployment(String id) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView updateConfiguration(String id, UploadedFile configuration, String mode) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView upgradeDeployment(String id, org.csemu.fabric.api.UpgradeRequest request) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView walkUpgradeDomain(String id, int upgradeDomain) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView rollbackUpdateOrUpgrade(String id, String mode) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView scaleRole(String id, String role, int count) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public InstanceView getInstance(String id, String instance) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView instanceAction(String id, String instance, InstanceAction action) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public String console(String id, String instance, int tail) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public java.util.concurrent.CompletableFuture<Integer> exec(String id, String instance, String command,
                boolean elevated, byte[] stdin, java.util.function.Consumer<String> output) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public org.csemu.fabric.api.TerminalSession openTerminal(String id, String instance, boolean elevated,
                int rows, int cols) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public OperationView injectFault(String id, String instance, FaultKind kind) {
            throw FabricException.notFound("Deployment", id);
        }

        @Override
        public List<ImageView> listImages() {
            return List.of();
        }

        @Override
        public OperationView addImage(AddImageRequest request) {
            throw FabricException.notFound("File", request.disk().path().toString());
        }

        @Override
        public void deleteImage(String imageId) {
            throw FabricException.notFound("Image", imageId);
        }

        @Override
        public OperationView getOperation(String id) {
            return switch (id) {
                case "op-running" -> new OperationView(id, "RebootInstance", "deployments/d/instances/i",
                        OperationStatus.InProgress, Instant.now(), null, null);
                case "op-failed" -> new OperationView(id, "RebootInstance", "deployments/d/instances/i",
                        OperationStatus.Failed, Instant.now(), Instant.now(),
                        new ErrorView("GuestTimeout", "the guest did not report Ready", List.of()));
                default -> throw FabricException.notFound("Operation", id);
            };
        }

        @Override
        public List<EventView> events(String id, long after, int limit) {
            return log.stream().filter(e -> e.sequence() > after).limit(limit).toList();
        }

        @Override
        public EventSubscription subscribe(Consumer<EventView> listener) {
            listeners.add(listener);
            return () -> listeners.remove(listener);
        }

        @Override
        public void shutdown(boolean stopInstances) {
            // nothing runs
        }
    }
}
