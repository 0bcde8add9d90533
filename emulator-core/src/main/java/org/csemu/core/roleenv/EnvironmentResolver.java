package org.csemu.core.roleenv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.xpath.XPathExpressionException;
import org.csemu.core.model.EnvironmentVariable;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleRuntime;
import org.csemu.core.model.SourceLocation;
import org.csemu.core.model.StartupTask;

/**
 * Resolves the {@code Environment} of startup tasks and of the role process for one instance: literal values as they
 * are, {@code RoleInstanceValue} XPaths evaluated against the instance's role-environment document. The fabric writes
 * the result to the config drive ({@code tasks/<nnn>.vars}, {@code runtime.vars}), so the guest never evaluates XPath.
 */
public final class EnvironmentResolver {

    private final RoleEnvironmentDocument document;
    private final String instanceId;

    /**
     * @param instanceId named in error messages
     */
    public EnvironmentResolver(RoleEnvironmentDocument document, String instanceId) {
        this.document = document;
        this.instanceId = instanceId;
    }

    /** The environment of the role's {@code taskIndex}-th startup task (0-based, document order). */
    public List<ResolvedVariable> resolveStartupTask(RoleDefinition role, int taskIndex) throws EnvironmentResolutionException {
        StartupTask task = role.startupTasks().get(taskIndex);
        return resolve(role.name(), "startup task " + taskIndex + " ('" + task.commandLine() + "')", task.environment());
    }

    /** The environment of the role process ({@code Runtime/Environment}); empty when the role has no Runtime. */
    public List<ResolvedVariable> resolveRuntime(RoleDefinition role) throws EnvironmentResolutionException {
        List<EnvironmentVariable> vars = role.runtime().map(RoleRuntime::environment).orElse(List.of());
        return resolve(role.name(), "Runtime", vars);
    }

    /**
     * Resolves variables in order.
     *
     * @param owner what the variables belong to, for messages (e.g. {@code startup task 0})
     * @throws EnvironmentResolutionException an XPath that selects nothing or is not valid XPath
     */
    public List<ResolvedVariable> resolve(String roleName, String owner, List<EnvironmentVariable> variables)
            throws EnvironmentResolutionException {
        List<ResolvedVariable> out = new ArrayList<>();
        for (EnvironmentVariable v : variables) {
            if (!v.isRoleInstanceValue()) {
                out.add(new ResolvedVariable(v.name(), v.value() == null ? "" : v.value(), null));
                continue;
            }
            String xpath = v.roleInstanceValueXPath();
            Optional<String> value;
            try {
                value = document.select(xpath);
            } catch (XPathExpressionException e) {
                throw new EnvironmentResolutionException(where(v) + "role '" + roleName + "', " + owner + ", variable '" + v.name()
                        + "': RoleInstanceValue xpath \"" + xpath + "\" is not a valid XPath: " + rootMessage(e)
                        + " (fix: correct the xpath in the service definition)", e);
            }
            if (value.isEmpty()) {
                throw new EnvironmentResolutionException(where(v) + "role '" + roleName + "', " + owner + ", variable '" + v.name()
                        + "': RoleInstanceValue xpath \"" + xpath + "\" selects nothing in the role environment of instance '"
                        + instanceId + "' (fix: check that the setting, local resource or endpoint it names is declared for role '"
                        + roleName + "', and the spelling of the xpath)");
            }
            out.add(new ResolvedVariable(v.name(), value.get(), xpath));
        }
        return out;
    }

    /** Name → value, a later variable of the same name replacing an earlier one (like a process environment). */
    public static Map<String, String> asMap(List<ResolvedVariable> variables) {
        Map<String, String> map = new LinkedHashMap<>();
        variables.forEach(v -> map.put(v.name(), v.value()));
        return map;
    }

    private static String where(EnvironmentVariable v) {
        SourceLocation l = v.location();
        return l == null || l.line() == 0 ? "" : l.file() + ":" + l.line() + ":" + l.column() + ": ";
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getMessage() == null ? t.toString() : c.getMessage();
    }
}
