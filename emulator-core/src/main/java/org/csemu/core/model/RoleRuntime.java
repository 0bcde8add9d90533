package org.csemu.core.model;

import java.util.List;
import java.util.Optional;

/** The role's Runtime element: the environment of the role process and its entry point. */
public record RoleRuntime(ExecutionContext executionContext, List<EnvironmentVariable> environment, Optional<EntryPoint> entryPoint) {

    public RoleRuntime {
        environment = List.copyOf(environment);
    }
}
