package org.csemu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the owning work lands. */
@Command(name = "pack", mixinStandardHelpOptions = true, description = "Build a .cspkg package.")
public final class PackCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("csemu pack: not built yet");
        return ExitCodes.USAGE;
    }
}
