package org.csemu.fabric.deployment;

import java.util.List;

/**
 * What a new service configuration changes in one role, in the terms the controller applies it (a new instance count
 * is a scale operation and not part of it).
 *
 * @param settings            names of the settings whose value changed (offered to the guest: Changing, Changed)
 * @param certificatesChanged a certificate was added, removed or got another thumbprint (the cloud always takes the
 *                            instance offline for that, without Changing/Changed)
 * @param osImageChanged      {@code OsImage@href} changed: every instance is reimaged onto the new image
 * @param osImage             the new {@code OsImage@href} (null: the default image); meaningful when changed
 * @param topology            roles whose instances came or went (a topology change, offered like settings)
 * @param packageChanged      the role gets new code (a package upgrade, or its rollback): every instance is stopped,
 *                            given the new role files and configuration, and started (the cloud's in-place upgrade:
 *                            the OS disk kept, the role root replaced, local storage as {@code cleanOnRoleRecycle}
 *                            says)
 */
public record RoleConfigurationDelta(String role, List<String> settings, boolean certificatesChanged,
                                     boolean osImageChanged, String osImage, List<String> topology,
                                     boolean packageChanged) {
    public RoleConfigurationDelta {
        settings = settings == null ? List.of() : List.copyOf(settings);
        topology = topology == null ? List.of() : List.copyOf(topology);
    }

    public RoleConfigurationDelta(String role, List<String> settings, boolean certificatesChanged,
                                  boolean osImageChanged, String osImage) {
        this(role, settings, certificatesChanged, osImageChanged, osImage, List.of(), false);
    }

    /** Only a topology change: instances of {@code changedRole} came or went. */
    public static RoleConfigurationDelta topologyOf(String role, String changedRole) {
        return new RoleConfigurationDelta(role, List.of(), false, false, null, List.of(changedRole), false);
    }

    /** This delta, as part of a package upgrade (or the rollback of one): the role's instances get new code. */
    public RoleConfigurationDelta withNewPackage() {
        return new RoleConfigurationDelta(role, settings, certificatesChanged, osImageChanged, osImage, topology, true);
    }

    /** A role of a package upgrade whose configuration did not change. */
    public static RoleConfigurationDelta newPackage(String role) {
        return new RoleConfigurationDelta(role, List.of(), false, false, null, List.of(), true);
    }

    public boolean isEmpty() {
        return settings.isEmpty() && !certificatesChanged && !osImageChanged && topology.isEmpty() && !packageChanged;
    }

    /** What the guest is told in {@code changing}/{@code changed}. */
    public List<org.csemu.fabric.spi.ConfigurationChange> guestChanges() {
        List<org.csemu.fabric.spi.ConfigurationChange> out = new java.util.ArrayList<>();
        settings.forEach(s -> out.add(org.csemu.fabric.spi.ConfigurationChange.setting(s)));
        topology.forEach(r -> out.add(new org.csemu.fabric.spi.ConfigurationChange(
                org.csemu.fabric.spi.ConfigurationChange.Kind.TOPOLOGY, r)));
        return out;
    }

    /** One line for events and operation errors. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (packageChanged) {
            b.append("new package");
        }
        if (osImageChanged) {
            b.append(b.isEmpty() ? "" : "; ");
            b.append("OS image -> ").append(osImage == null ? "(default)" : osImage);
        }
        if (certificatesChanged) {
            b.append(b.isEmpty() ? "" : "; ").append("certificates");
        }
        if (!settings.isEmpty()) {
            b.append(b.isEmpty() ? "" : "; ").append("settings ").append(String.join(", ", settings));
        }
        if (!topology.isEmpty()) {
            b.append(b.isEmpty() ? "" : "; ").append("topology ").append(String.join(", ", topology));
        }
        return b.toString();
    }
}
