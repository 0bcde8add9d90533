package org.csemu.fabric.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.fabric.disk.ConfigDriveInput;

/**
 * What the answer file gives an instance from the model on its first boot: the computer name (the instance id as a
 * host name); when the role imports RemoteAccess and its configuration enables it, the remote-access account
 * (created in the guest with a locked password: the cloud's encrypted password needs the deployment's certificate,
 * which csemu does not decrypt); and the files the role environment needs outside role processes — a login shell
 * (the remote-access account's, an operator's) sees the same {@code CSEMU_*} environment as role code, read from
 * the config drive at each login so that it follows configuration changes, as the cloud's RoleEnvironment is
 * visible to every process on the instance (the certificates the agent installed included).
 */
final class AnswerFile {
    static final String REMOTE_ACCESS = "RemoteAccess";
    static final String PREFIX = "Microsoft.WindowsAzure.Plugins.RemoteAccess.";
    /** The first uid csemu gives an account of the answer file (the base image's own {@code csemu} user is 1000). */
    static final int FIRST_UID = 1100;

    /** Where the login-shell environment goes; {@code /etc/profile} sources {@code /etc/profile.d/*.sh}. */
    static final String PROFILE_SCRIPT = "etc/profile.d/csemu-role.sh";

    private static final String PROFILE = """
            # csemu: the role environment for login shells (written by the answer file on first boot).
            # Read from the config drive at each login, so it follows configuration changes.
            csemu_drive=/csemu/config/csemu
            if [ -r "$csemu_drive/instance.env" ]; then
                set -a
                . "$csemu_drive/instance.env"
                [ -r "$csemu_drive/answer/settings.env" ] && . "$csemu_drive/answer/settings.env"
                [ -r "$csemu_drive/localstorage.env" ] && . "$csemu_drive/localstorage.env"
                [ -r /csemu/certificates/certificates.env ] && . /csemu/certificates/certificates.env
                CSEMU_APPROOT=/csemu/approot
                CSEMU_LOCAL_ROOT=/csemu/local
                CSEMU_CONFIG_DIR=/csemu/config
                set +a
            fi
            unset csemu_drive
            """;

    private AnswerFile() {
    }

    /** The files copied into the guest's root on first boot, by path relative to {@code /}. */
    static Map<String, byte[]> files() {
        return Map.of(PROFILE_SCRIPT, PROFILE.getBytes(StandardCharsets.UTF_8));
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
