package org.csemu.cli;

import java.util.List;
import picocli.CommandLine;

/** Entry point of the {@code csemu} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return newCommandLine(args).execute(args);
    }

    /** The command line with every subcommand (what {@code csemu --help} shows). */
    public static CommandLine newCommandLine() {
        return withSubcommands(CsemuCommand.SUBCOMMANDS);
    }

    /** The command line for {@code args}: only the subcommands they need are registered ({@link Subcommands}). */
    public static CommandLine newCommandLine(String... args) {
        return withSubcommands(Subcommands.neededFor(args));
    }

    private static CommandLine withSubcommands(List<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new CsemuCommand());
        for (Class<?> subcommand : subcommands) {
            cl.addSubcommand(subcommand);
        }
        UsageErrors handler = new UsageErrors();
        cl.setExitCodeExceptionMapper(handler);
        cl.setParameterExceptionHandler(handler);
        return cl;
    }

    /**
     * A wrong command line: the message, where to get help, exit 2. A class rather than lambdas: the JDK 17
     * class-data archive (see the launcher) drops picocli's Java-5 classes, {@code CommandLine} itself included, when
     * a lambda implementing one of their interfaces, or a method reference to them, is resolved while it is dumped.
     */
    private static final class UsageErrors
            implements CommandLine.IExitCodeExceptionMapper, CommandLine.IParameterExceptionHandler {

        @Override
        public int getExitCode(Throwable exception) {
            return ExitCodes.USAGE;
        }

        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            ex.getCommandLine().getErr().println("csemu: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.USAGE;
        }
    }
}
