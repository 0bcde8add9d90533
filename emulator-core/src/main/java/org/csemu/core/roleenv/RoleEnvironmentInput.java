package org.csemu.core.roleenv;

import java.util.List;
import java.util.Objects;

/**
 * What the fabric assigned to one role instance, from which its role-environment document is generated: the
 * deployment, the instance itself (settings, local resources, its endpoints as it sees them) and the other instances
 * of every role (their endpoints as this instance reaches them).
 *
 * @param emulated always true on csemu ({@code /RoleEnvironment/Deployment/@emulated})
 * @param roles    every role of the service, in definition order, listing its instances other than the current one
 */
public record RoleEnvironmentInput(String deploymentId, boolean emulated, CurrentInstance currentInstance, List<RoleView> roles) {

    public RoleEnvironmentInput {
        Objects.requireNonNull(deploymentId, "deploymentId");
        Objects.requireNonNull(currentInstance, "currentInstance");
        roles = List.copyOf(roles);
    }

    /**
     * The instance the document is for.
     *
     * @param endpoints as the instance sees its own endpoints: the guest address and the local port
     */
    public record CurrentInstance(
            String id,
            String roleName,
            int updateDomain,
            int faultDomain,
            List<ConfigurationSetting> settings,
            List<LocalResourceInfo> localResources,
            List<EndpointAddress> endpoints) {
        public CurrentInstance {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(roleName, "roleName");
            settings = List.copyOf(settings);
            localResources = List.copyOf(localResources);
            endpoints = List.copyOf(endpoints);
        }
    }

    /** A role and its instances as seen from the current instance. */
    public record RoleView(String name, List<PeerInstance> instances) {
        public RoleView {
            instances = List.copyOf(instances);
        }
    }

    /** Another instance; {@code endpoints} are the addresses the current instance reaches it at. */
    public record PeerInstance(String id, int updateDomain, int faultDomain, List<EndpointAddress> endpoints) {
        public PeerInstance {
            endpoints = List.copyOf(endpoints);
        }
    }

    /** A cscfg setting value. */
    public record ConfigurationSetting(String name, String value) {
    }

    /** A local-storage resource: its path inside the guest and its size. */
    public record LocalResourceInfo(String name, String path, int sizeInMB) {
    }

    /**
     * An endpoint address.
     *
     * @param protocol the csdef protocol ({@code http}, {@code https}, {@code tcp}, {@code udp}, {@code any})
     */
    public record EndpointAddress(String name, String protocol, String address, int port) {
    }
}
