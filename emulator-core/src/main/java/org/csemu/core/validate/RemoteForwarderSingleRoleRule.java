package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.ModuleImport;
import org.csemu.core.model.RoleDefinition;

/**
 * RemoteForwarder owns the service's one RDP input port (3389 on the VIP), so only one role may import it; the other
 * roles import RemoteAccess only.
 */
final class RemoteForwarderSingleRoleRule extends BaseRule {

    RemoteForwarderSingleRoleRule() {
        super("CSDEF126", Severity.ERROR, "only one role imports RemoteForwarder");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        RoleDefinition first = null;
        ModuleImport firstImport = null;
        for (RoleDefinition role : context.definition().roles()) {
            ModuleImport imp = role.imports().stream().filter(i -> "RemoteForwarder".equals(i.moduleName()))
                    .findFirst().orElse(null);
            if (imp == null) {
                continue;
            }
            if (first == null) {
                first = role;
                firstImport = imp;
            } else {
                findings.report(imp.location(), "role '" + role.name() + "' imports RemoteForwarder, which role '"
                        + first.name() + "' already imports (" + Locations.format(firstImport.location())
                        + "); a service has one RDP forwarder",
                        "keep <Import moduleName=\"RemoteForwarder\"/> in one role; import RemoteAccess in every role "
                                + "you want to reach");
            }
        }
    }
}
