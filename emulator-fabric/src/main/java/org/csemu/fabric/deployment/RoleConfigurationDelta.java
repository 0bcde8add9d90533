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
 */
public record RoleConfigurationDelta(String role, List<String> settings, boolean certificatesChanged,
                                     boolean osImageChanged, String osImage) {
    public RoleConfigurationDelta {
        settings = List.copyOf(settings);
    }

    public boolean isEmpty() {
        return settings.isEmpty() && !certificatesChanged && !osImageChanged;
    }

    /** One line for events and operation errors. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        if (osImageChanged) {
            b.append("OS image -> ").append(osImage == null ? "(default)" : osImage);
        }
        if (certificatesChanged) {
            b.append(b.isEmpty() ? "" : "; ").append("certificates");
        }
        if (!settings.isEmpty()) {
            b.append(b.isEmpty() ? "" : "; ").append("settings ").append(String.join(", ", settings));
        }
        return b.toString();
    }
}
