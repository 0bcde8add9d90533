package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.RoleConfiguration;

/** Role@vmName is a computer-name prefix: 1..10 letters, digits and hyphens, not starting or ending with a hyphen. */
final class VmNameRule extends BaseRule {

    VmNameRule() {
        super("CSCFG105", Severity.ERROR, "vmName is 1..10 letters, digits or inner hyphens");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleConfiguration role : context.config().roles()) {
            if (role.vmName() != null && !Names.VM_NAME.matcher(role.vmName()).matches()) {
                findings.report(role.location(), "role '" + role.name() + "' has vmName '" + role.vmName()
                        + "', which is not a valid computer-name prefix",
                        "use 1 to 10 letters, digits or hyphens, not starting or ending with a hyphen");
            }
        }
    }
}
