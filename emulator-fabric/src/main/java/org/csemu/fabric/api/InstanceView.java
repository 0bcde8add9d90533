package org.csemu.fabric.api;

import java.time.Instant;
import java.util.List;

/**
 * One role instance, with the cloud's field names (Get Deployment, RoleInstance).
 *
 * @param id {@code <Role>_IN_<n>}
 * @param role its role
 * @param status the InstanceStatus (ReadyRole, BusyRole, StoppedVM, ...)
 * @param statusSince when it entered that status
 * @param stateDetails free text explaining the status, or {@code null}
 * @param errorCode InstanceErrorCode, or {@code null}
 * @param powerState Starting, Started, Stopping, Stopped, Unknown
 * @param upgradeDomain 0-based update domain
 * @param faultDomain 0-based fault domain
 * @param address the instance's own host-side loopback address
 * @param inRotation whether the load balancer sends it traffic
 * @param endpoints its instance endpoints
 * @param loadBalancer the VIP load balancer's counters for it, one per endpoint on the VIP
 */
public record InstanceView(String id, String role, String status, Instant statusSince, String stateDetails,
        String errorCode, String powerState, int upgradeDomain, int faultDomain, String address, boolean inRotation,
        List<EndpointView> endpoints, List<BackendView> loadBalancer) {
    public InstanceView {
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        loadBalancer = loadBalancer == null ? List.of() : List.copyOf(loadBalancer);
    }

    /** Without load balancer counters. */
    public InstanceView(String id, String role, String status, Instant statusSince, String stateDetails,
            String errorCode, String powerState, int upgradeDomain, int faultDomain, String address,
            boolean inRotation, List<EndpointView> endpoints) {
        this(id, role, status, statusSince, stateDetails, errorCode, powerState, upgradeDomain, faultDomain, address,
                inRotation, endpoints, List.of());
    }
}
