package org.csemu.fabric.deployment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.spi.VipSwapper;

/**
 * The steps of a VIP swap after its intent is persisted: move the listeners, then give the deployments their new
 * slots and drop the intent in one write, and report into the swap's operation. The same steps complete a swap a
 * daemon kill cut ({@link FabricController#resumeSwaps}). Each step is a deployment-level event (no instance) in the
 * log of every deployment of the swap, with the swap's operation id.
 */
final class SwapSteps {
    private final FabricModel model;
    private final OperationTracker operations;

    SwapSteps(FabricModel model, OperationTracker operations) {
        this.model = model;
        this.operations = operations;
    }

    /**
     * Move every listener to its port and finish. When the listeners cannot all be moved (the LB unreachable), the
     * intent and its operation stay: the next daemon start completes the swap; until then the slots are the old ones.
     */
    void complete(SwapIntent intent, VipSwapper vips) {
        List<String> moved;
        try {
            moved = vips.apply(intent.ports());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the VIP listeners of swap " + intent.operationId() + " could not all be"
                    + " moved (" + e.getMessage() + "); the swap completes when the daemon starts next", e);
        }
        List<DeploymentRecord> both = deployments(intent);
        List<LifecycleEvent> steps = new ArrayList<>(events(intent, both, "VIP listeners moved: "
                + (moved.isEmpty() ? "none (already on their ports)" : String.join(", ", moved)), true));
        steps.addAll(events(intent, both, "slot changed", false));
        model.finishSwap(intent.operationId(), steps);
        if (operations.get(intent.operationId()).map(o -> !o.done()).orElse(false)) {
            operations.unitDone(intent.operationId(), null);
        }
    }

    /** The deployments of the swap that still exist. */
    List<DeploymentRecord> deployments(SwapIntent intent) {
        return intent.slots().keySet().stream().map(model::deployment).flatMap(Optional::stream).toList();
    }

    /**
     * One event per deployment: {@code before} the slots change, from its slot to the same; after, from its old slot
     * to its new one.
     */
    List<LifecycleEvent> events(SwapIntent intent, List<DeploymentRecord> deployments, String step, boolean before) {
        List<LifecycleEvent> out = new ArrayList<>();
        for (DeploymentRecord x : deployments) {
            Slot to = intent.slots().get(x.id());
            Slot from = to == Slot.PRODUCTION ? Slot.STAGING : Slot.PRODUCTION;
            out.add(new LifecycleEvent(model.now(), x.id(), null, cloud(from), before ? cloud(from) : cloud(to), null,
                    "vip swap " + step, intent.operationId()));
        }
        return out;
    }

    /** The cloud's name of a slot. */
    static String cloud(Slot slot) {
        return slot == Slot.PRODUCTION ? "Production" : "Staging";
    }
}
