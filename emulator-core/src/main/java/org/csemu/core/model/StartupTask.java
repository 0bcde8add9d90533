package org.csemu.core.model;

import java.util.List;

/** A Startup/Task, run in document order by the guest agent before the role's entry point. */
public record StartupTask(
        String commandLine,
        ExecutionContext executionContext,
        TaskType taskType,
        List<EnvironmentVariable> environment,
        SourceLocation location) {

    public StartupTask {
        environment = List.copyOf(environment);
    }
}
