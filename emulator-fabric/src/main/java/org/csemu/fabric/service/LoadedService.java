package org.csemu.fabric.service;

import java.nio.file.Path;
import java.util.List;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.model.ServiceDefinition;

/**
 * A validated service kept for one deployment: the model, and the directory holding the definition and configuration
 * as deployed and each role's files extracted from the verified package ({@code roles/<role>/approot},
 * {@code roles/<role>/sitesroot/<n>}), which the config drives are written from on every (re)build.
 *
 * @param warnings the validation warnings (errors never get this far)
 */
public record LoadedService(Path directory, ServiceDefinition definition, ServiceConfiguration configuration,
                            List<Diagnostic> warnings) {
    public LoadedService {
        warnings = List.copyOf(warnings);
    }

    public Path roleRoot(String roleName) {
        return directory.resolve("roles").resolve(roleName);
    }

    public Path appRoot(String roleName) {
        return roleRoot(roleName).resolve("approot");
    }

    /** The content directory of the n-th site of a web role. */
    public Path siteRoot(String roleName, int siteIndex) {
        return roleRoot(roleName).resolve("sitesroot").resolve(Integer.toString(siteIndex));
    }
}
