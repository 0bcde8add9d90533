package org.csemu.fabric.deployment;

import java.util.List;

/**
 * The rollout a deployment is going through, as Get Deployment's {@code UpgradeStatus} reports it, with each
 * domain's progress.
 *
 * @param kind               {@code ChangeConfiguration}, {@code UpgradeDeployment} or {@code RollbackUpdateOrUpgrade}
 * @param currentDomain      the first domain not done (0-based)
 * @param currentDomainState {@code Before} (Manual mode: waiting for Walk Upgrade Domain; a rollback: waiting for
 *                           the rolled-back walk to stop) or {@code During}
 * @param rollbackAllowed    a rollback may be requested now (a rollback itself cannot be rolled back)
 */
public record UpgradeStatus(String operationId, String kind, UpgradeMode mode, int currentDomain,
                            String currentDomainState, List<Domain> domains, boolean rollbackAllowed) {
    public UpgradeStatus {
        domains = List.copyOf(domains);
    }

    /**
     * One upgrade domain of the rollout.
     *
     * @param state {@code done}, {@code current} or {@code pending}
     */
    public record Domain(int domain, String state, List<String> instances) {
        public Domain {
            instances = List.copyOf(instances);
        }
    }
}
