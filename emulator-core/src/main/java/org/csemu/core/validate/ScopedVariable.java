package org.csemu.core.validate;

import java.util.ArrayList;
import java.util.List;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.StartupTask;

/** An environment variable with where it is set (a startup task or the role's Runtime), for messages. */
record ScopedVariable(String where, EnvironmentVariable variable) {

    /** Every Environment/Variable of a role: startup tasks in order, then the Runtime. */
    static List<ScopedVariable> of(RoleDefinition role) {
        List<ScopedVariable> all = new ArrayList<>();
        int index = 1;
        for (StartupTask task : role.startupTasks()) {
            String where = "startup task " + index++ + " ('" + task.commandLine() + "')";
            task.environment().forEach(v -> all.add(new ScopedVariable(where, v)));
        }
        role.runtime().ifPresent(rt -> rt.environment().forEach(v -> all.add(new ScopedVariable("Runtime", v))));
        return all;
    }
}
