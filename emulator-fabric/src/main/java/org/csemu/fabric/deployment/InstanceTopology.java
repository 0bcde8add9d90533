package org.csemu.fabric.deployment;

/**
 * Instance naming and domain placement.
 *
 * <p>TEMPORARY: to be replaced by {@code org.csemu.core.topology.TopologyPlanner}, which emulator-core already has;
 * kept private to this package so the swap touches only {@link DeploymentPlanner} and {@link FabricController}.
 */
final class InstanceTopology {
    static final int FAULT_DOMAIN_COUNT = 2;

    private InstanceTopology() {
    }

    /** {@code <Role>_IN_<n>}, n from 0. */
    static String instanceId(String roleName, int index) {
        return roleName + "_IN_" + index;
    }

    static int updateDomain(int index, int upgradeDomainCount) {
        return index % Math.max(1, upgradeDomainCount);
    }

    static int faultDomain(int index) {
        return index % FAULT_DOMAIN_COUNT;
    }
}
