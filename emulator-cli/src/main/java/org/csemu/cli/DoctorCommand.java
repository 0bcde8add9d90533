package org.csemu.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until the owning work lands. */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check that this host can run csemu VMs.")
public final class DoctorCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("csemu doctor: not built yet");
        return ExitCodes.USAGE;
    }
}
