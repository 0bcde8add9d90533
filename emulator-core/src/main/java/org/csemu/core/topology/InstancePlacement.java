package org.csemu.core.topology;

/**
 * Where one role instance sits in the service: its cloud id and the domains that decide when it is updated and
 * what fails with it.
 *
 * @param id           {@code <Role>_IN_<index>}
 * @param index        the number in the id, from 0; never reused within a role's topology
 * @param updateDomain {@code index mod upgradeDomainCount}
 * @param faultDomain  {@code index mod faultDomainCount}
 */
public record InstancePlacement(String id, String roleName, int index, int updateDomain, int faultDomain) {

    public static String instanceId(String roleName, int index) {
        return roleName + "_IN_" + index;
    }
}
