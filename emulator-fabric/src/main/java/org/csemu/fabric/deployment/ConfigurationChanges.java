package org.csemu.fabric.deployment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.fabric.persist.JsonFileStore;

/**
 * The rollouts being walked (configuration changes, package upgrades, rollbacks, topology changes), on disk
 * ({@code configuration-changes.json}): which instances each one still has to reach, which domains a Manual rollout
 * was told to walk, and whether a rollback stopped it. A daemon restart resumes every rollout where it stopped,
 * reporting into the same operation, instead of leaving the instances not walked yet on the old revision.
 */
final class ConfigurationChanges {

    /**
     * One rollout in progress.
     *
     * @param kind          the operation's kind ({@code ChangeConfiguration}, {@code UpgradeDeployment},
     *                      {@code RollbackUpdateOrUpgrade}, {@code TopologyChange})
     * @param remaining     instance ids not confirmed yet, in walk order
     * @param mode          by domain (Auto, Manual) or all at once (Simultaneous, and a topology change of a
     *                      {@code Blast} service)
     * @param fromRevision  the service revision the instances leave (a rollback returns them to it)
     * @param toRevision    the service revision each instance is moved to when its turn comes
     * @param walkedDomains Manual: the domains Walk Upgrade Domain was called for
     * @param stoppedBy     the rollback that stopped this rollout at its next domain, or null
     * @param after         a rollout that must have stopped before this one starts (a rollback's), or null
     */
    record Pending(String deploymentId, String operationId, String kind, List<RoleConfigurationDelta> deltas,
                   List<String> remaining, UpgradeMode mode, int fromRevision, int toRevision,
                   List<Integer> walkedDomains, String stoppedBy, String after) {
        Pending {
            deltas = List.copyOf(deltas);
            remaining = List.copyOf(remaining);
            mode = mode == null ? UpgradeMode.AUTO : mode;
            walkedDomains = walkedDomains == null ? List.of() : List.copyOf(walkedDomains);
        }

        Pending without(String instanceId) {
            List<String> left = new ArrayList<>(remaining);
            left.remove(instanceId);
            return new Pending(deploymentId, operationId, kind, deltas, left, mode, fromRevision, toRevision,
                    walkedDomains, stoppedBy, after);
        }

        Pending walked(int domain) {
            List<Integer> walked = new ArrayList<>(walkedDomains);
            if (!walked.contains(domain)) {
                walked.add(domain);
            }
            return new Pending(deploymentId, operationId, kind, deltas, remaining, mode, fromRevision, toRevision,
                    walked, stoppedBy, after);
        }

        Pending stoppedBy(String rollbackOperation) {
            return new Pending(deploymentId, operationId, kind, deltas, remaining, mode, fromRevision, toRevision,
                    walkedDomains, rollbackOperation, after);
        }

        boolean simultaneous() {
            return mode == UpgradeMode.SIMULTANEOUS;
        }

        /** A change of the service (configuration, package, rollback), as opposed to a topology notification. */
        boolean changesService() {
            return !kind.equals("TopologyChange");
        }
    }

    /** The persisted form. */
    record State(List<Pending> pending) {
        State {
            pending = pending == null ? List.of() : List.copyOf(pending);
        }
    }

    private final JsonFileStore<State> store;
    private final Map<String, Pending> byOperation = new LinkedHashMap<>();

    ConfigurationChanges(Path file) {
        this.store = new JsonFileStore<>(file, State.class);
        store.load().ifPresent(s -> s.pending().forEach(p -> byOperation.put(p.operationId(), p)));
    }

    synchronized void start(Pending pending) {
        byOperation.put(pending.operationId(), pending);
        save();
    }

    /** One instance of a walk is confirmed (changed, recycled, or failed and reported). */
    synchronized void done(String operationId, String instanceId) {
        update(operationId, p -> p.without(instanceId));
    }

    /** Manual mode: the user walked {@code domain}. */
    synchronized void walked(String operationId, int domain) {
        update(operationId, p -> p.walked(domain));
    }

    /** A rollback stops the rollout at its next domain. */
    synchronized void stop(String operationId, String rollbackOperation) {
        update(operationId, p -> p.stoppedBy(rollbackOperation));
    }

    synchronized void finish(String operationId) {
        if (byOperation.remove(operationId) != null) {
            save();
            notifyAll();
        }
    }

    synchronized List<Pending> all() {
        return List.copyOf(byOperation.values());
    }

    synchronized Optional<Pending> get(String operationId) {
        return Optional.ofNullable(byOperation.get(operationId));
    }

    /** Wait until any rollout changes (walked, stopped, finished) or {@code timeout} passes. */
    synchronized void awaitChange(Duration timeout) throws InterruptedException {
        wait(Math.max(1, timeout.toMillis()));
    }

    private void update(String operationId, java.util.function.UnaryOperator<Pending> change) {
        Pending p = byOperation.get(operationId);
        if (p != null) {
            byOperation.put(operationId, change.apply(p));
            save();
            notifyAll();
        }
    }

    private void save() {
        store.save(new State(List.copyOf(byOperation.values())));
    }
}
