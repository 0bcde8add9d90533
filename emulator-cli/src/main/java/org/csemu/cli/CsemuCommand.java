package org.csemu.cli;

import java.util.List;
import picocli.CommandLine.Command;

/**
 * The top-level {@code csemu} command; each subcommand lives in its own class, listed in {@link #SUBCOMMANDS} rather
 * than in the annotation so that {@link Subcommands} can register only the one a command line names (building
 * picocli's model of all of them is most of a short command's run time).
 */
@Command(
        name = "csemu",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs an Azure Cloud Services (classic) service on this machine: real VMs, a real VIP load balancer.")
public final class CsemuCommand implements Runnable {

    /** Every subcommand, in the order {@code csemu --help} lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            ValidateCommand.class,
            PackCommand.class,
            PackageCommand.class,
            DoctorCommand.class,
            DaemonCommand.class,
            RunCommand.class,
            StatusCommand.class,
            EventsCommand.class,
            LogsCommand.class,
            ExecCommand.class,
            ShellCommand.class,
            InstanceCommands.Reboot.class,
            InstanceCommands.Reimage.class,
            InstanceCommands.Rebuild.class,
            InstanceCommands.Stop.class,
            InstanceCommands.Start.class,
            DeploymentStatusCommands.Suspend.class,
            DeploymentStatusCommands.Resume.class,
            ScaleCommand.class,
            UpdateCommand.class,
            RolloutCommands.Upgrade.class,
            RolloutCommands.Walk.class,
            RolloutCommands.Rollback.class,
            SwapCommand.class,
            RemoveCommand.class,
            FaultCommand.class,
            ImagesCommand.class,
            CertificatesCommand.class,
            DashboardCommand.class,
            CompletionCommand.class);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
