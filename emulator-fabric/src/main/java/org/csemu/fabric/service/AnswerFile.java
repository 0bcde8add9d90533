package org.csemu.fabric.service;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.fabric.disk.ConfigDriveInput;

/**
 * What the answer file gives an instance from the model on its first boot: the computer name (the instance id as a
 * host name) and, when the role imports RemoteAccess and its configuration enables it, the remote-access account
 * (created in the guest with a locked password: the cloud's encrypted password needs the deployment's certificate,
 * which csemu does not decrypt).
 */
final class AnswerFile {
    static final String REMOTE_ACCESS = "RemoteAccess";
    static final String PREFIX = "Microsoft.WindowsAzure.Plugins.RemoteAccess.";
    /** The first uid csemu gives an account of the answer file (the base image's own {@code csemu} user is 1000). */
    static final int FIRST_UID = 1100;

    private AnswerFile() {
    }

    static String computerName(String instanceId) {
        return instanceId.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static List<ConfigDriveInput.GuestUser> users(RoleDefinition role, RoleConfiguration cfg) {
        if (role.imports().stream().noneMatch(i -> REMOTE_ACCESS.equals(i.moduleName()))) {
            return List.of();
        }
        boolean enabled = setting(cfg, "Enabled").map(v -> v.equalsIgnoreCase("true")).orElse(false);
        Optional<String> user = setting(cfg, "AccountUsername").map(String::trim).filter(u -> u.matches("[a-z_][a-z0-9_-]{0,31}"));
        if (!enabled || user.isEmpty()) {
            return List.of();
        }
        return List.of(new ConfigDriveInput.GuestUser(user.get(), FIRST_UID, "/home/" + user.get(), "/bin/sh"));
    }

    private static Optional<String> setting(RoleConfiguration cfg, String name) {
        return cfg.settings().stream().filter(s -> s.name().equals(PREFIX + name)).map(s -> s.value()).findFirst();
    }
}
