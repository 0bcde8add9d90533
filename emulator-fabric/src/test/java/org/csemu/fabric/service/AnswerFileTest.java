package org.csemu.fabric.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.RoleConfiguration.SettingValue;
import org.csemu.core.model.SourceLocation;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.junit.jupiter.api.Test;

/** The answer file's computer name and remote-access account, from the model. */
class AnswerFileTest {

    @Test
    void aRoleThatImportsAndEnablesRemoteAccessGetsItsAccountOnFirstBoot() {
        RoleDefinition role = role(List.of(new ModuleImport("RemoteAccess", SourceLocation.UNKNOWN)));
        assertThat(AnswerFile.users(role, config("true", "ops"))).containsExactly(
                new ConfigDriveInput.GuestUser("ops", AnswerFile.FIRST_UID, "/home/ops", "/bin/sh"));
        assertThat(AnswerFile.users(role, config("false", "ops"))).as("disabled").isEmpty();
        assertThat(AnswerFile.users(role, config("true", "bad:name"))).as("not a valid account name").isEmpty();
        assertThat(AnswerFile.users(role(List.of()), config("true", "ops"))).as("not imported").isEmpty();
        assertThat(AnswerFile.computerName("Worker_IN_3")).isEqualTo("worker-in-3");
    }

    @Test
    void everyInstanceGetsTheProfileScriptThatGivesLoginShellsTheRoleEnvironment() {
        String profile = new String(AnswerFile.files().get(AnswerFile.PROFILE_SCRIPT),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(AnswerFile.files()).containsOnlyKeys("etc/profile.d/csemu-role.sh");
        assertThat(profile).as("read from the drive at each login, so it follows configuration changes")
                .contains(". \"$csemu_drive/instance.env\"", ". \"$csemu_drive/answer/settings.env\"",
                        ". \"$csemu_drive/localstorage.env\"", "set -a");
    }

    private static RoleDefinition role(List<ModuleImport> imports) {
        return new RoleDefinition("Web", RoleKind.WORKER_ROLE, "Small", false, Endpoints.NONE, List.of(), List.of(),
                List.of(), imports, List.of(), Optional.empty(), List.of(), List.of(), SourceLocation.UNKNOWN);
    }

    private static RoleConfiguration config(String enabled, String user) {
        return new RoleConfiguration("Web", null, 1, List.of(
                new SettingValue(AnswerFile.PREFIX + "Enabled", enabled, SourceLocation.UNKNOWN),
                new SettingValue(AnswerFile.PREFIX + "AccountUsername", user, SourceLocation.UNKNOWN)),
                List.of(), null, SourceLocation.UNKNOWN, SourceLocation.UNKNOWN);
    }
}
