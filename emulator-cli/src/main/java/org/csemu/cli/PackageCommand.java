package org.csemu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the owning work lands. */
@Command(name = "package", mixinStandardHelpOptions = true, description = "Inspect a .cspkg package.")
public final class PackageCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("csemu package: not built yet");
        return ExitCodes.USAGE;
    }
}
