package org.csemu.fabric.deployment;

import java.util.function.Consumer;
import org.csemu.fabric.lifecycle.DiskPolicy;
import org.csemu.fabric.lifecycle.DiskPolicy.BootReason;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.Transition;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.RotationPublisher;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.spi.ShutdownMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime steps that follow a transition into an in-flight state. Each step runs synchronously on an executor
 * thread, after the state (and the rotation, and the intent on disk) already changed; each ends with the internal
 * trigger that reports its result. Each returns null on success or a one-line error for the operation status.
 */
public final class InstanceWorkflows {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceWorkflows.class);

    private final FabricModel model;
    private final InstanceRuntime runtime;
    private final InstancePlanner planner;
    private final RotationPublisher rotation;
    private final HealingPolicy policy;
    private final Consumer<InstanceRef> booted;
    private final Consumer<InstanceRef> removed;

    InstanceWorkflows(FabricModel model, InstanceRuntime runtime, InstancePlanner planner, RotationPublisher rotation,
                      HealingPolicy policy, Consumer<InstanceRef> booted, Consumer<InstanceRef> removed) {
        this.model = model;
        this.runtime = runtime;
        this.planner = planner;
        this.rotation = rotation;
        this.policy = policy;
        this.booted = booted;
        this.removed = removed;
    }

    /**
     * Boot after {@code cause} (optionally shutting the domain down first). A domain that cannot be started is
     * treated as a failed host: START_FAILED moves the instance to new hardware (CreatingVM), and a boot that fails
     * even there ends in FailedStartingVM.
     */
    public String boot(InstanceRef ref, Trigger cause, ShutdownMode shutdownFirst, String operationId) {
        if (shutdownFirst != null) {
            try {
                runtime.shutdown(ref, shutdownFirst);
            } catch (RuntimeOperationException e) {
                LOG.warn("{}: shutdown before boot failed ({}); the boot destroys the domain", ref, e.getMessage());
            }
        }
        BootReason reason = BootReason.after(cause);
        while (true) {
            try {
                InstanceSpec spec = spec(ref);
                runtime.boot(spec, DiskPolicy.plan(reason, spec.roleKind(), spec.localStorage()));
            } catch (RuntimeOperationException e) {
                Transition failed = model.apply(ref, Trigger.START_FAILED, e.getMessage(), operationId).orElse(null);
                if (failed != null && failed.to().orElse(null) == InstanceState.CREATING_VM) {
                    reason = BootReason.NEW_HARDWARE;
                    continue;
                }
                return ref.instanceId() + ": " + e.getMessage();
            }
            if (model.apply(ref, Trigger.DOMAIN_STARTED, "booted (" + reason + ")", operationId).isEmpty()) {
                model.updateInstance(ref, r -> r.withIntent(null));
            }
            booted.accept(ref);
            return null;
        }
    }

    /**
     * Wait for the connections the LB still has open to an instance that left rotation to end (bounded by the drain
     * deadline): a rollout stops an instance only then, so a request in flight finishes on it.
     */
    public void drain(InstanceRef ref) {
        rotation.drain(ref, policy.drainDeadline());
    }

    /** Stop (STOP) or deallocate (SUSPEND) after the instance went StoppingVM. */
    public String shutdown(InstanceRef ref, Trigger cause, String operationId) {
        try {
            runtime.shutdown(ref, ShutdownMode.GRACEFUL);
        } catch (RuntimeOperationException e) {
            return ref.instanceId() + ": " + e.getMessage();
        }
        Trigger done = cause == Trigger.SUSPEND ? Trigger.DEALLOCATED : Trigger.DOMAIN_STOPPED;
        model.apply(ref, done, "domain shut off", operationId);
        return null;
    }

    /** Drain, delete domain and disks, forget the instance, after it went DeletingVM. */
    public String delete(InstanceRef ref, String operationId) {
        try {
            rotation.drain(ref, policy.drainDeadline());
            runtime.delete(ref);
            planner.release(ref);
        } catch (RuntimeOperationException e) {
            return ref.instanceId() + ": " + e.getMessage() + " (still DeletingVM; finished at the next recovery)";
        }
        model.apply(ref, Trigger.DELETED, "domain and disks deleted", operationId);
        rotation.remove(ref);
        removed.accept(ref);
        return null;
    }

    /**
     * The complete spec of an instance as the model stands now, planned ({@link InstanceSpec#plan}).
     *
     * @throws RuntimeOperationException the instance cannot be planned
     */
    public InstanceSpec spec(InstanceRef ref) {
        DeploymentRecord d = model.requireDeployment(ref.deploymentId());
        InstanceRecord r = model.requireInstance(ref);
        RoleRecord role = d.role(r.role()).orElseThrow();
        InstanceSpec spec = new InstanceSpec(ref, role.kind(), r.index(), r.updateDomain(), r.faultDomain(),
                r.overlayGeneration(), r.recycleGeneration(), role.localStorage(), role.osImage(), null);
        try {
            return spec.withPlan(planner.plan(d, spec));
        } catch (RuntimeOperationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuntimeOperationException(ref + ": cannot plan the instance: " + e.getMessage(), e);
        }
    }
}
