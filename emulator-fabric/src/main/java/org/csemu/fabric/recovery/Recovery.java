package org.csemu.fabric.recovery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.FabricModel;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.InstanceWorkflows;
import org.csemu.fabric.deployment.Intent;
import org.csemu.fabric.lifecycle.DiskPolicy.BootReason;
import org.csemu.fabric.lifecycle.Trigger;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.RuntimeOperationException;

/**
 * Reconciles the substrate with the desired state when the daemon starts: every instance becomes RoleStateUnknown,
 * then running domains are adopted (no restart; the agent's next message settles their state and rotation), the rest
 * are restarted or rebuilt, interrupted operations are finished from their recorded intent, and csemu domains or
 * disks of this data directory that nothing references are deleted. Domains of other fabrics are never touched.
 */
public final class Recovery {
    private final FabricController controller;
    private final InstanceRuntime runtime;

    public Recovery(FabricController controller, InstanceRuntime runtime) {
        this.controller = controller;
        this.runtime = runtime;
    }

    public RecoveryReport run() {
        FabricModel model = controller.model();
        InstanceWorkflows steps = controller.workflows();
        Report report = new Report();
        Map<InstanceRef, DomainInfo> mine = new HashMap<>();
        for (DomainInfo info : runtime.list()) {
            if (model.fabricId().equals(info.fabricId())) {
                mine.put(info.ref(), info);
            } else {
                report.foreignIgnored.add(info.ref());
            }
        }
        List<InstanceRef> desired = new ArrayList<>();
        for (DeploymentRecord d : model.desired().deployments()) {
            d.instances().forEach(i -> desired.add(new InstanceRef(d.id(), i.role(), i.id())));
        }
        for (InstanceRef ref : mine.keySet()) {
            if (!desired.contains(ref)) {
                try {
                    runtime.delete(ref);
                    report.orphansDeleted.add(ref);
                } catch (RuntimeOperationException e) {
                    report.errors.add(ref + ": orphan not deleted: " + e.getMessage());
                }
            }
        }
        List<CompletableFuture<Void>> work = new ArrayList<>();
        for (InstanceRef ref : desired) {
            model.apply(ref, Trigger.DAEMON_RESTARTED, "daemon restarted", null);
            InstanceRecord rec = model.requireInstance(ref);
            DomainInfo domain = mine.get(ref);
            boolean deploymentDeleting = model.requireDeployment(ref.deploymentId()).deleting();
            Supplier<String> step;
            if (rec.intent() != null) {
                step = reportingTo(rec.intent().operationId(),
                        finish(model, steps, ref, rec.intent(), domain, report));
            } else if (deploymentDeleting) {
                report.finished.add(ref.instanceId() + ": delete (deployment being deleted)");
                model.apply(ref, Trigger.DELETE, "finishing interrupted deployment delete", null);
                step = () -> steps.delete(ref, null);
            } else {
                step = settle(model, steps, ref, rec, domain, report);
            }
            if (step != null) {
                work.add(CompletableFuture.runAsync(() -> {
                    String error = step.get();
                    if (error != null) {
                        report.errors.add(error);
                    }
                }, controller.executor()));
            }
        }
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).join();
        for (DeploymentRecord d : model.desired().deployments()) {
            controller.removeIfEmpty(d.id());
        }
        controller.resumeConfigurationChanges(); // before: the walks it resumes keep their operations alive
        abandonUnfinishable(model);
        return report.build();
    }

    /** Operations still in progress that no instance step refers to any more can never finish: say so. */
    private void abandonUnfinishable(FabricModel model) {
        java.util.Set<String> referenced = new java.util.HashSet<>(controller.configurationChangeOperations());
        referenced.addAll(controller.swapOperations());
        for (DeploymentRecord d : model.desired().deployments()) {
            d.instances().stream().map(InstanceRecord::intent).filter(java.util.Objects::nonNull)
                    .map(Intent::operationId).filter(java.util.Objects::nonNull).forEach(referenced::add);
        }
        controller.operations().all().stream()
                .filter(o -> !o.done() && !referenced.contains(o.id()))
                .forEach(o -> controller.operations().abandon(o.id(), "interrupted by a daemon restart after "
                        + o.completed() + " of " + o.total() + " instances were confirmed; the instances were "
                        + "reconciled by recovery (see the event log)"));
    }

    /** The finished step counts for the operation that started it (when that operation is still in progress). */
    private Supplier<String> reportingTo(String operationId, Supplier<String> step) {
        if (operationId == null) {
            return step;
        }
        return () -> {
            String error = step == null ? null : step.get();
            controller.operations().unitDone(operationId, error);
            return error;
        };
    }

    /** Complete the step a crash interrupted, as its intent says. */
    private Supplier<String> finish(FabricModel model, InstanceWorkflows steps, InstanceRef ref, Intent intent,
                                    DomainInfo domain, Report report) {
        String op = intent.operationId();
        report.finished.add(ref.instanceId() + ": " + intent.trigger().name().toLowerCase() + " (" + intent.step()
                + ")");
        if (intent.step().equals("delete")) {
            model.apply(ref, intent.trigger(), "finishing interrupted " + intent.step(), op);
            return () -> steps.delete(ref, op);
        }
        if (intent.step().equals("shutdown")) {
            model.apply(ref, intent.trigger(), "finishing interrupted " + intent.step(), op);
            return () -> steps.shutdown(ref, intent.trigger(), op);
        }
        Trigger redo = switch (BootReason.after(intent.trigger())) {
            case CREATE -> Trigger.CREATE;
            case REIMAGE -> Trigger.REIMAGE;
            case REBUILD -> Trigger.REBUILD;
            case NEW_HARDWARE -> Trigger.DOMAIN_LOST;
            case RECYCLE, RESTART -> running(domain) ? null : Trigger.START;
        };
        if (redo == null) {
            return adopt(model, ref, report);
        }
        model.apply(ref, redo, "finishing interrupted " + intent.step(), op);
        return () -> steps.boot(ref, redo, null, op);
    }

    /** No step was in flight: drive the substrate to the desired power. */
    private Supplier<String> settle(FabricModel model, InstanceWorkflows steps, InstanceRef ref, InstanceRecord rec,
                                    DomainInfo domain, Report report) {
        switch (rec.desired()) {
            case RUNNING -> {
                if (running(domain)) {
                    return adopt(model, ref, report);
                }
                if (domain != null) {
                    report.restarted.add(ref);
                    model.apply(ref, Trigger.START, "domain found shut off", null);
                    return () -> steps.boot(ref, Trigger.START, null, null);
                }
                report.recreated.add(ref);
                model.apply(ref, Trigger.DOMAIN_LOST, "neither domain nor disks found", null);
                return () -> steps.boot(ref, Trigger.DOMAIN_LOST, null, null);
            }
            case STOPPED, DEALLOCATED -> {
                boolean suspended = rec.desired() == org.csemu.fabric.deployment.DesiredPower.DEALLOCATED;
                report.stopped.add(ref);
                if (running(domain)) {
                    Trigger stop = suspended ? Trigger.SUSPEND : Trigger.STOP;
                    model.apply(ref, stop, "domain found running", null);
                    return () -> steps.shutdown(ref, stop, null);
                }
                model.apply(ref, suspended ? Trigger.DEALLOCATED : Trigger.DOMAIN_STOPPED, "domain not running", null);
                return null;
            }
        }
        throw new IllegalStateException("unhandled desired power " + rec.desired());
    }

    private Supplier<String> adopt(FabricModel model, InstanceRef ref, Report report) {
        try {
            runtime.reconnect(ref);
        } catch (RuntimeOperationException e) {
            report.errors.add(ref + ": agent channel not reconnected: " + e.getMessage());
        }
        model.updateInstance(ref, r -> r.withIntent(null));
        controller.watchAgent(ref);
        report.adopted.add(ref);
        return null;
    }

    private static boolean running(DomainInfo domain) {
        return domain != null && (domain.power() == DomainInfo.Power.RUNNING || domain.power() == DomainInfo.Power.PAUSED);
    }

    private static final class Report {
        final List<InstanceRef> adopted = Collections.synchronizedList(new ArrayList<>());
        final List<InstanceRef> restarted = Collections.synchronizedList(new ArrayList<>());
        final List<InstanceRef> recreated = Collections.synchronizedList(new ArrayList<>());
        final List<InstanceRef> stopped = Collections.synchronizedList(new ArrayList<>());
        final List<String> finished = Collections.synchronizedList(new ArrayList<>());
        final List<InstanceRef> orphansDeleted = Collections.synchronizedList(new ArrayList<>());
        final List<InstanceRef> foreignIgnored = Collections.synchronizedList(new ArrayList<>());
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        RecoveryReport build() {
            return new RecoveryReport(adopted, restarted, recreated, stopped, finished, orphansDeleted,
                    foreignIgnored, errors);
        }
    }
}
