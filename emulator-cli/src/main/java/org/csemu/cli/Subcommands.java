package org.csemu.cli;

import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * Which subcommands a command line needs registered. picocli builds its whole model (options, mixins, converters,
 * help texts, by reflection) for every registered command before it parses anything; for {@code csemu status} that
 * was most of the run time. So a command line that names a subcommand gets only that one, and everything else (no
 * arguments, {@code --help}, an unknown name that deserves "did you mean", {@code completion} which describes the
 * whole tree) gets all of them; {@code --version} needs none.
 */
final class Subcommands {

    private Subcommands() {
    }

    static List<Class<?>> neededFor(String... args) {
        if (args.length == 0) {
            return CsemuCommand.SUBCOMMANDS;
        }
        String first = args[0];
        if (first.equals("--version") || first.equals("-V")) {
            return List.of();
        }
        for (Class<?> c : CsemuCommand.SUBCOMMANDS) {
            if (c != CompletionCommand.class && answersTo(c, first)) {
                return List.of(c);
            }
        }
        return CsemuCommand.SUBCOMMANDS;
    }

    private static boolean answersTo(Class<?> command, String name) {
        Command a = command.getAnnotation(Command.class);
        return a.name().equals(name) || Arrays.asList(a.aliases()).contains(name);
    }
}
