package org.csemu.core.validate;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;

/**
 * What a Linux guest cannot run, in one place: {@link LinuxGuestRule} warns about all of it before anything boots,
 * and the fabric asks {@link #whyNotRunnable} whether a role can start at all, so that such a role is shown as not
 * runnable instead of reporting Ready with nothing running or cycling on a task that can never succeed.
 */
public final class LinuxGuest {

    private LinuxGuest() {
    }

    /** The command's program when it is a Windows one (.cmd, .bat, .exe), else null. */
    public static String windowsCommand(String commandLine) {
        if (commandLine == null || commandLine.isBlank()) {
            return null;
        }
        String program = commandLine.trim().split("\\s+", 2)[0];
        String lower = program.toLowerCase(Locale.ROOT);
        return lower.endsWith(".cmd") || lower.endsWith(".bat") || lower.endsWith(".exe") ? program : null;
    }

    /**
     * The shell script a Windows task command runs instead (the guest agent's porting convention: {@code X.cmd}
     * runs {@code X.sh} when the role ships it; backslashes are path separators), or null when there is none.
     */
    public static String portedScript(String program) {
        if (program == null || !program.toLowerCase(Locale.ROOT).endsWith(".cmd")) {
            return null;
        }
        return program.substring(0, program.length() - 4).replace('\\', '/') + ".sh";
    }

    /**
     * Why the role cannot start in a Linux guest, or empty when it can. Not runnable: a worker role whose entry
     * point is a .NET assembly or a Windows program (nothing of it would run), and any role with a {@code simple}
     * startup task that is a Windows command the role ships no {@code .sh} for (it must succeed before the role
     * starts, and it never can). A web role with a .NET entry point still serves its sites; background and
     * foreground tasks do not block the start; both only get {@link LinuxGuestRule}'s warning.
     *
     * @param approotHas whether the role's approot holds a file at a relative path
     */
    public static Optional<String> whyNotRunnable(RoleDefinition role, Predicate<String> approotHas) {
        Optional<EntryPoint> entry = role.entryPoint();
        boolean worker = role.kind() == RoleKind.WORKER_ROLE;
        if (worker && entry.isPresent() && entry.get() instanceof EntryPoint.NetFx netFx) {
            return Optional.of("its NetFxEntryPoint '" + netFx.assemblyName() + "' is a .NET assembly and guests are"
                    + " Linux; give the role a <ProgramEntryPoint> with a Linux command");
        }
        if (worker && entry.isPresent() && entry.get() instanceof EntryPoint.Program program
                && windowsCommand(program.commandLine()) != null) {
            return Optional.of("its ProgramEntryPoint '" + program.commandLine() + "' is a Windows command and guests"
                    + " are Linux; change commandLine to a Linux command");
        }
        for (StartupTask task : role.startupTasks()) {
            String program = windowsCommand(task.commandLine());
            if (program == null || task.taskType() != TaskType.SIMPLE) {
                continue;
            }
            String script = portedScript(program);
            if (script != null && approotHas.test(script)) {
                continue;
            }
            return Optional.of("its simple startup task '" + task.commandLine() + "' is a Windows command and guests"
                    + " run tasks with sh; " + (script != null ? "ship " + script + " in the role (a task 'X.cmd"
                    + " args' runs 'X.sh args' when the role has one)" : "change commandLine to a Linux command"));
        }
        return Optional.empty();
    }
}
