package org.csemu.fabric.api;

import java.util.List;

/**
 * The rollout a deployment is going through (the classic Get Deployment's {@code UpgradeStatus}, with each domain's
 * progress).
 *
 * @param kind               ChangeConfiguration, UpgradeDeployment or RollbackUpdateOrUpgrade
 * @param mode               Auto, Manual or Simultaneous
 * @param currentDomain      the first upgrade domain not done (0-based)
 * @param currentDomainState Before (waiting: for Walk Upgrade Domain in Manual mode, or for the rolled-back walk to
 *                           stop) or During
 * @param domains            every domain of the rollout: done, current or pending, with its instances
 * @param rollbackAllowed    the classic RollbackAllowed flag
 */
public record UpgradeView(String operationId, String kind, String mode, int currentDomain, String currentDomainState,
        List<Domain> domains, boolean rollbackAllowed) {
    public UpgradeView {
        domains = domains == null ? List.of() : List.copyOf(domains);
    }

    /** One upgrade domain: {@code done}, {@code current} or {@code pending}. */
    public record Domain(int domain, String state, List<String> instances) {
        public Domain {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }
}
