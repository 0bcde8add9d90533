package org.csemu.core.validate;

import java.util.Locale;
import java.util.Optional;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.StartupTask;

/**
 * What will not run here, said per role before anything boots: guests are Linux, so a .NET entry point and a
 * Windows command (.cmd, .bat, .exe) cannot run. A task {@code X.cmd args} runs {@code X.sh args} when the role ships
 * one (the guest agent's convention, docs/user-guide.md), so the warning says how to port it. A warning, not an
 * error: the same files are valid for the cloud.
 */
final class LinuxGuestRule extends BaseRule {

    LinuxGuestRule() {
        super("CSDEF127", Severity.WARNING, "what a Linux guest cannot run: NetFxEntryPoint, .cmd/.bat/.exe commands");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            String at = role.kind().elementName() + " '" + role.name() + "'";
            Optional<EntryPoint> entry = role.entryPoint();
            if (entry.isPresent() && entry.get() instanceof EntryPoint.NetFx netFx) {
                findings.report(role.location(), at + ": the NetFxEntryPoint '" + netFx.assemblyName()
                        + "' will not run: guests are Linux and run no .NET assemblies",
                        "give a WorkerRole a <ProgramEntryPoint> with a Linux command, or serve a web role's sites as "
                                + "static or CGI content without an entry point");
            } else if (entry.isPresent() && entry.get() instanceof EntryPoint.Program program && windowsCommand(program.commandLine()) != null) {
                findings.report(role.location(), at + ": the ProgramEntryPoint '" + program.commandLine()
                        + "' is a Windows command and will not run: guests are Linux",
                        "change commandLine to a Linux command (e.g. a shell script the role ships)");
            }
            for (StartupTask task : role.startupTasks()) {
                String command = windowsCommand(task.commandLine());
                if (command == null) {
                    continue;
                }
                String fix = command.toLowerCase(Locale.ROOT).endsWith(".cmd")
                        ? "ship " + command.substring(0, command.length() - 4) + ".sh in the role: a task 'X.cmd args' runs "
                                + "'X.sh args' when the role has one"
                        : "change commandLine to a Linux command";
                findings.report(task.location(), at + ": startup task '" + task.commandLine()
                        + "' is a Windows command; guests run tasks with sh", fix);
            }
        }
    }

    private static String windowsCommand(String commandLine) {
        return LinuxGuest.windowsCommand(commandLine);
    }
}
