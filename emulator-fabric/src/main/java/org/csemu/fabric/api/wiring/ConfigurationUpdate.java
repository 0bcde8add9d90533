package org.csemu.fabric.api.wiring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.csemu.core.model.RoleConfiguration;
import org.csemu.core.model.ServiceConfiguration;
import org.csemu.core.parse.ServiceModelParser;
import org.csemu.core.validate.LoadResult;
import org.csemu.core.validate.ServiceModelLoader;
import org.csemu.core.validate.ServiceModelValidator;
import org.csemu.core.validate.ValidationLimits;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.api.ErrorKind;
import org.csemu.fabric.api.FabricException;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.OperationStatus;
import org.csemu.fabric.deployment.RoleRecord;
import org.csemu.fabric.service.DeploymentRejectedException;
import org.csemu.fabric.service.ServiceStore;

/**
 * A new service configuration for a running deployment (the classic Change Deployment Configuration), as far as the
 * fabric supports it today: the configuration is validated against the deployment's definition, and a change of
 * {@code Instances@count} scales the roles. Any other change (setting values, certificates, OS image) needs the
 * guest-side configuration-change protocol, which the controller does not drive yet: it is refused with
 * {@code 409 NotSupported} rather than pretending to apply it.
 */
final class ConfigurationUpdate {

    private ConfigurationUpdate() {
    }

    /** The scale operations started (empty: nothing changed). */
    static List<OperationStatus> apply(Fabric fabric, DeploymentRecord d, Path cscfg) throws DeploymentRejectedException {
        Path serviceDir = new ServiceStore(fabric.config().dataDir()).serviceDir(d.id());
        ServiceModelLoader loader = new ServiceModelLoader(new ServiceModelParser(),
                new ServiceModelValidator(ValidationLimits.defaults()));
        LoadResult next = loader.load(serviceDir.resolve(ServiceStore.DEFINITION), cscfg);
        if (!next.ok() || next.errorCount() > 0) {
            throw new DeploymentRejectedException("the new configuration is invalid for deployment '" + d.name() + "'",
                    next.diagnostics(), null);
        }
        LoadResult current = loader.load(serviceDir.resolve(ServiceStore.DEFINITION),
                serviceDir.resolve(ServiceStore.CONFIGURATION));
        ServiceConfiguration before = current.configuration().orElseThrow(() -> new FabricException(
                ErrorKind.INTERNAL, "InternalError", "the deployed configuration of '" + d.name() + "' is unreadable"));
        ServiceConfiguration after = next.configuration().orElseThrow();
        Map<String, Integer> counts = new TreeMap<>();
        List<String> unsupported = new ArrayList<>();
        for (RoleConfiguration role : after.roles()) {
            RoleConfiguration old = before.role(role.name()).orElse(null);
            if (old == null) {
                unsupported.add("role " + role.name() + " is new");
                continue;
            }
            if (!sameExceptCount(old, role)) {
                unsupported.add("role " + role.name() + ": settings, certificates or OS image changed");
            }
            int desired = d.role(role.name()).map(RoleRecord::instanceCount).orElse(old.instanceCount());
            if (role.instanceCount() != desired) {
                counts.put(role.name(), role.instanceCount());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new FabricException(ErrorKind.CONFLICT, "NotSupported", "csemu can apply only a change of"
                    + " Instances/@count to a running deployment today (" + String.join("; ", unsupported)
                    + "); redeploy to change anything else: csemu remove, then csemu run");
        }
        List<OperationStatus> ops = new ArrayList<>();
        counts.forEach((role, count) -> ops.add(fabric.scale(d.id(), role, count)));
        return ops;
    }

    private static boolean sameExceptCount(RoleConfiguration a, RoleConfiguration b) {
        return Objects.equals(a.vmName(), b.vmName()) && Objects.equals(a.osImageHref(), b.osImageHref())
                && values(a).equals(values(b))
                && a.certificates().stream().map(c -> c.name() + "=" + c.thumbprint()).toList()
                        .equals(b.certificates().stream().map(c -> c.name() + "=" + c.thumbprint()).toList());
    }

    private static Map<String, String> values(RoleConfiguration r) {
        Map<String, String> m = new TreeMap<>();
        r.settings().forEach(s -> m.put(s.name(), s.value()));
        return m;
    }
}
