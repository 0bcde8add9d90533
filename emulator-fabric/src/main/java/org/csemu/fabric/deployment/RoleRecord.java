package org.csemu.fabric.deployment;

import java.util.List;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.spi.LocalResource;

/**
 * The part of a role the controller needs, persisted with the deployment.
 *
 * @param osImage        {@code OsImage@href}, or null for the default image
 * @param inputEndpoints names of the role's input endpoints (a role without any is never in rotation anywhere)
 */
public record RoleRecord(String name, RoleKind kind, int instanceCount, List<LocalResource> localStorage,
                         String osImage, List<String> inputEndpoints) {
    public RoleRecord {
        localStorage = List.copyOf(localStorage);
        inputEndpoints = List.copyOf(inputEndpoints);
    }

    public RoleRecord withOsImage(String image) {
        return new RoleRecord(name, kind, instanceCount, localStorage, image, inputEndpoints);
    }

    public RoleRecord withInstanceCount(int count) {
        return new RoleRecord(name, kind, count, localStorage, osImage, inputEndpoints);
    }
}
