package org.csemu.fabric.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * What the management API needs from the fabric controller, and nothing more.
 *
 * <p>The REST layer is written against this interface so that it can be built, secured and load-tested without
 * VMs; the daemon obtains the real implementation through {@link FabricServiceFactory}. Long-running changes return
 * an {@link OperationView} at once (the API answers {@code 202 Accepted} with its id, as the classic Service
 * Management API did) and progress is read through {@link #getOperation}. Refusals are thrown as
 * {@link FabricException}; implementations must be safe for concurrent callers.
 */
public interface FabricService {

    // --- deployments -------------------------------------------------------------------------------------------

    List<DeploymentView> listDeployments();

    DeploymentView getDeployment(String deploymentId);

    /**
     * Validates synchronously (throwing {@link FabricException} of kind {@link ErrorKind#VALIDATION_FAILED} with
     * the diagnostics), then starts the deployment. Uploaded files in the request are handed over: the service
     * deletes them once consumed (the API deletes them only when this method throws), and moves what it keeps out
     * of the upload directory, which the daemon empties when it starts.
     */
    OperationView createDeployment(CreateDeploymentRequest request);

    OperationView deleteDeployment(String deploymentId);

    OperationView suspendDeployment(String deploymentId);

    OperationView resumeDeployment(String deploymentId);

    /**
     * Swap Deployment (VIP swap): the deployment and the one in the other slot of its service exchange their VIPs and
     * slots; with the other slot empty it moves there. Refused ({@code 409}) while either has an operation in
     * progress; {@code 400} when their input endpoints differ.
     */
    OperationView swapDeployment(String deploymentId);

    /**
     * Applies a new service configuration (an in-place update, Change Deployment Configuration) in {@code mode}
     * ({@code auto}, {@code manual}, {@code simultaneous}; null: auto); the file is handed over like an upload.
     */
    OperationView updateConfiguration(String deploymentId, UploadedFile configuration, String mode);

    /**
     * Upgrade Deployment: a new package and configuration, rolled out upgrade domain by upgrade domain. {@code 422}
     * when invalid, {@code 409} when not possible in place or while another rollout runs.
     */
    OperationView upgradeDeployment(String deploymentId, UpgradeRequest request);

    /** Walk Upgrade Domain of a Manual rollout: {@code 409} when there is none, {@code 400} for the wrong domain. */
    OperationView walkUpgradeDomain(String deploymentId, int upgradeDomain);

    /** Rollback Update Or Upgrade of the rollout in progress ({@code 409} when there is none). */
    OperationView rollbackUpdateOrUpgrade(String deploymentId, String mode);

    OperationView scaleRole(String deploymentId, String roleName, int instanceCount);

    // --- role instances ----------------------------------------------------------------------------------------

    InstanceView getInstance(String deploymentId, String instanceId);

    OperationView instanceAction(String deploymentId, String instanceId, InstanceAction action);

    /** The last {@code tailLines} lines of the instance's serial console (all when {@code tailLines <= 0}). */
    String console(String deploymentId, String instanceId, int tailLines);

    OperationView injectFault(String deploymentId, String instanceId, FaultKind kind);

    /**
     * Runs {@code command} ({@code sh -c}) in the instance's guest through its agent, as the role's user unless
     * {@code elevated}, reading {@code stdin} (empty: /dev/null): each output line goes to {@code output}, the
     * future completes with the exit code. Refused ({@link ErrorKind#CONFLICT}) when the instance is not running.
     */
    /**
     * The most stdin an exec takes: it travels whole in one message to the guest agent, whose shell parses each
     * message; 64 KiB keeps that well under a second on a TCG guest.
     */
    int MAX_EXEC_STDIN_BYTES = 64 * 1024;

    java.util.concurrent.CompletableFuture<Integer> exec(String deploymentId, String instanceId, String command,
            boolean elevated, byte[] stdin, Consumer<String> output);

    /**
     * Opens an interactive shell (a terminal) in the instance's guest, as the role's user unless {@code elevated}.
     * Refused ({@link ErrorKind#CONFLICT}) when the instance is not running or a shell is already open on it.
     */
    TerminalSession openTerminal(String deploymentId, String instanceId, boolean elevated, int rows, int cols);

    // --- images ------------------------------------------------------------------------------------------------

    List<ImageView> listImages();

    OperationView addImage(AddImageRequest request);

    /** Removes an image; {@link ErrorKind#CONFLICT} while a deployment uses it. */
    void deleteImage(String imageId);

    // --- certificates (per hosted service: the definition's name) ---------------------------------------------

    /** The certificates in a service's store (empty when it has none). */
    List<CertificateView> listCertificates(String service);

    /**
     * Reads and checks the certificate (refused, {@link ErrorKind#VALIDATION_FAILED}, when it is not a certificate,
     * the password is wrong or the key does not match), then stores it.
     */
    CertificateView addCertificate(AddCertificateRequest request);

    /** Removes a certificate; {@link ErrorKind#NOT_FOUND} when absent, {@link ErrorKind#CONFLICT} while in use. */
    void deleteCertificate(String service, String thumbprint);

    // --- operations and events ---------------------------------------------------------------------------------

    OperationView getOperation(String operationId);

    /**
     * Events with a sequence number greater than {@code afterSequence}, oldest first, at most {@code limit};
     * {@code deploymentId == null} means every deployment.
     */
    List<EventView> events(String deploymentId, long afterSequence, int limit);

    /** Calls {@code listener} for every new event, on a thread of the service's choosing, until closed. */
    EventSubscription subscribe(Consumer<EventView> listener);

    // --- daemon ------------------------------------------------------------------------------------------------

    /**
     * Called once when the daemon exits. With {@code stopInstances == false} the VMs keep running and are adopted
     * by the next daemon on the same data directory.
     */
    void shutdown(boolean stopInstances);
}
