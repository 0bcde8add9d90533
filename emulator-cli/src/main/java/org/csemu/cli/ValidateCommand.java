package org.csemu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the owning work lands. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Validate a service definition against a configuration.")
public final class ValidateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("csemu validate: not built yet");
        return ExitCodes.USAGE;
    }
}
