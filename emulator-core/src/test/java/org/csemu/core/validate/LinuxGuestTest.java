package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.csemu.core.model.Endpoints;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.RoleRuntime;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;
import org.junit.jupiter.api.Test;

/** Which roles cannot start in a Linux guest at all (the fabric shows them as RoleNotRunnable). */
class LinuxGuestTest {

    @Test
    void aWorkerWithADotNetOrWindowsEntryPointCannotRun() {
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WORKER_ROLE, new EntryPoint.NetFx("W.dll", "v4.8")),
                none())).hasValueSatisfying(r -> assertThat(r).contains("NetFxEntryPoint 'W.dll'"));
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WORKER_ROLE, new EntryPoint.Program("run.exe", true)),
                none())).hasValueSatisfying(r -> assertThat(r).contains("ProgramEntryPoint 'run.exe'"));
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WORKER_ROLE, new EntryPoint.Program("sh run.sh", true)),
                none())).isEmpty();
    }

    @Test
    void aWebRoleWithADotNetEntryPointStillServesItsSites() {
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WEB_ROLE, new EntryPoint.NetFx("Web.dll", "v4.8")), none()))
                .isEmpty();
    }

    @Test
    void aSimpleCmdTaskCannotRunUnlessTheRoleShipsItsShellTwin() {
        RoleDefinition web = role(RoleKind.WEB_ROLE, null, task("bin\\Startup.cmd install", TaskType.SIMPLE));
        assertThat(LinuxGuest.whyNotRunnable(web, none())).hasValueSatisfying(r -> assertThat(r)
                .contains("simple startup task 'bin\\Startup.cmd install'").contains("ship bin/Startup.sh"));
        assertThat(LinuxGuest.whyNotRunnable(web, Set.of("bin/Startup.sh")::contains)).isEmpty();
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WEB_ROLE, null, task("setup.exe", TaskType.SIMPLE)),
                none())).isPresent();
        assertThat(LinuxGuest.whyNotRunnable(role(RoleKind.WEB_ROLE, null, task("setup.exe", TaskType.BACKGROUND)),
                none())).as("a background task does not block the start").isEmpty();
    }

    private static java.util.function.Predicate<String> none() {
        return path -> false;
    }

    private static StartupTask task(String command, TaskType type) {
        return new StartupTask(command, ExecutionContext.ELEVATED, type, List.of(), SourceLocation.UNKNOWN);
    }

    private static RoleDefinition role(RoleKind kind, EntryPoint entry, StartupTask... tasks) {
        return new RoleDefinition("R", kind, "Small", false, Endpoints.NONE, List.of(), List.of(), List.of(),
                List.of(), List.of(tasks), Optional.of(new RoleRuntime(ExecutionContext.LIMITED, List.of(),
                Optional.ofNullable(entry))), List.of(), List.of(), SourceLocation.UNKNOWN);
    }
}
