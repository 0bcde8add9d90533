package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;

/** OsImage is read for a VirtualMachineRole only; on a web or worker role the cloud ignores it. */
final class OsImageIgnoredRule extends BaseRule {

    OsImageIgnoredRule() {
        super("SVC111", Severity.WARNING, "OsImage is given only for a VirtualMachineRole");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            if (role.kind() == RoleKind.VIRTUAL_MACHINE_ROLE) {
                continue;
            }
            context.config().role(role.name()).ifPresent(rc -> {
                if (rc.osImageHref() != null && !rc.osImageHref().isBlank()) {
                    findings.report(rc.location(), role.kind().elementName() + " '" + role.name() + "' has OsImage '"
                            + rc.osImageHref() + "', which only a VirtualMachineRole uses; it is ignored",
                            "remove <OsImage>; web and worker roles run on the OS family image (osFamily)");
                }
            });
        }
    }
}
