package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;

/** A VirtualMachineRole runs the image the configuration names: OsImage@href is required. */
final class OsImageRequiredRule extends BaseRule {

    OsImageRequiredRule() {
        super("SVC110", Severity.ERROR, "a VirtualMachineRole has OsImage@href in the cscfg");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            if (role.kind() != RoleKind.VIRTUAL_MACHINE_ROLE) {
                continue;
            }
            context.config().role(role.name()).ifPresent(rc -> {
                if (rc.osImageHref() == null || rc.osImageHref().isBlank()) {
                    findings.report(rc.location(), "VirtualMachineRole '" + role.name()
                            + "' has no OsImage in the configuration", "add <OsImage href=\"<image name>\"/> to the "
                            + "<Role name=\"" + role.name() + "\"> (see 'csemu image list')");
                }
            });
        }
    }
}
