package org.csemu.core.model;

/** What the role host starts: a .NET assembly (kept for fidelity) or a program with a command line. */
public sealed interface EntryPoint permits EntryPoint.NetFx, EntryPoint.Program {

    /** NetFxEntryPoint: an assembly relative to approot. */
    record NetFx(String assemblyName, String targetFrameworkVersion) implements EntryPoint {
    }

    /**
     * ProgramEntryPoint (worker roles): with {@code setReadyOnProcessStart} the instance is Ready when the process
     * has started; otherwise when the program says so through the guest agent.
     */
    record Program(String commandLine, boolean setReadyOnProcessStart) implements EntryPoint {
    }
}
