package org.csemu.core.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.RoleRuntime;
import org.csemu.core.model.StartupTask;
import org.csemu.core.model.TaskType;
import org.csemu.schemas.csdef.Environment;
import org.csemu.schemas.csdef.NetFxEntryPoint;
import org.csemu.schemas.csdef.ProgramEntryPoint;
import org.csemu.schemas.csdef.Startup;
import org.csemu.schemas.csdef.Task;
import org.csemu.schemas.csdef.Variable;
import org.csemu.schemas.csdef.WebRuntime;
import org.csemu.schemas.csdef.WorkerRuntime;

/** Startup tasks, the Runtime element and its entry point, and Environment variables, with their defaults. */
final class StartupRuntimeMapper {

    private final MappingContext context;

    StartupRuntimeMapper(MappingContext context) {
        this.context = context;
    }

    List<StartupTask> tasks(Startup startup) {
        if (startup == null) {
            return List.of();
        }
        List<StartupTask> tasks = new ArrayList<>();
        for (Task task : startup.getTask()) {
            ExecutionContext executionContext = task.getExecutionContext() == null
                    ? ExecutionContext.LIMITED : executionContext(task.getExecutionContext().value());
            TaskType type = task.getTaskType() == null ? TaskType.SIMPLE : taskType(task.getTaskType().value());
            tasks.add(new StartupTask(task.getCommandLine(), executionContext, type, environment(task.getEnvironment()),
                    context.at(task)));
        }
        return tasks;
    }

    Optional<RoleRuntime> webRuntime(WebRuntime runtime) {
        if (runtime == null) {
            return Optional.empty();
        }
        Optional<EntryPoint> entryPoint = Optional.ofNullable(runtime.getEntryPoint())
                .map(e -> netFx(e.getNetFxEntryPoint()));
        return Optional.of(new RoleRuntime(runtimeContext(runtime.getExecutionContext()), environment(runtime.getEnvironment()), entryPoint));
    }

    Optional<RoleRuntime> workerRuntime(WorkerRuntime runtime) {
        if (runtime == null) {
            return Optional.empty();
        }
        Optional<EntryPoint> entryPoint = Optional.empty();
        if (runtime.getEntryPoint() != null) {
            ProgramEntryPoint program = runtime.getEntryPoint().getProgramEntryPoint();
            entryPoint = Optional.of(program != null
                    ? new EntryPoint.Program(program.getCommandLine(), program.isSetReadyOnProcessStart())
                    : netFx(runtime.getEntryPoint().getNetFxEntryPoint()));
        }
        return Optional.of(new RoleRuntime(runtimeContext(runtime.getExecutionContext()), environment(runtime.getEnvironment()), entryPoint));
    }

    private static EntryPoint netFx(NetFxEntryPoint netFx) {
        return new EntryPoint.NetFx(netFx.getAssemblyName(), netFx.getTargetFrameworkVersion());
    }

    private List<EnvironmentVariable> environment(Environment environment) {
        if (environment == null) {
            return List.of();
        }
        List<EnvironmentVariable> variables = new ArrayList<>();
        for (Variable variable : environment.getVariable()) {
            String xpath = variable.getRoleInstanceValue() == null ? null : variable.getRoleInstanceValue().getXpath();
            String value = variable.getValue();
            if (xpath != null && value != null) {
                context.error(SchemaRule.VARIABLE_VALUE, variable, "Variable '" + variable.getName()
                        + "' has both a value attribute and a RoleInstanceValue", "keep only one of the two");
            } else if (xpath == null && value == null) {
                context.error(SchemaRule.VARIABLE_VALUE, variable, "Variable '" + variable.getName()
                        + "' has neither a value attribute nor a RoleInstanceValue",
                        "add value=\"...\" or a <RoleInstanceValue xpath=\"...\"/> child");
            }
            variables.add(new EnvironmentVariable(variable.getName(), xpath == null ? value : null, xpath, context.at(variable)));
        }
        return variables;
    }

    private static ExecutionContext runtimeContext(org.csemu.schemas.csdef.ExecutionContext xml) {
        return xml == null ? ExecutionContext.LIMITED : executionContext(xml.value());
    }

    private static ExecutionContext executionContext(String xmlValue) {
        for (ExecutionContext c : ExecutionContext.values()) {
            if (c.xmlValue().equals(xmlValue)) {
                return c;
            }
        }
        throw new IllegalArgumentException("execution context not in the model: " + xmlValue);
    }

    private static TaskType taskType(String xmlValue) {
        for (TaskType t : TaskType.values()) {
            if (t.xmlValue().equals(xmlValue)) {
                return t;
            }
        }
        throw new IllegalArgumentException("task type not in the model: " + xmlValue);
    }
}
