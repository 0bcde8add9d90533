package org.csemu.core.validate;

import org.csemu.core.diag.Severity;
import org.csemu.core.model.EntryPoint;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.RoleKind;

/** ProgramEntryPoint exists only in a WorkerRole: a web role's host process is IIS (or WaIISHost). */
final class ProgramEntryPointRule extends BaseRule {

    ProgramEntryPointRule() {
        super("CSDEF120", Severity.ERROR, "ProgramEntryPoint only in a WorkerRole");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            if (role.kind() != RoleKind.WORKER_ROLE && role.entryPoint().orElse(null) instanceof EntryPoint.Program p) {
                findings.report(role.location(), role.kind().elementName() + " '" + role.name()
                        + "' has a ProgramEntryPoint ('" + p.commandLine() + "'); only a WorkerRole may",
                        "make the role a <WorkerRole>, or use a NetFxEntryPoint, or start the program from a "
                                + "background startup task");
            }
        }
    }
}
