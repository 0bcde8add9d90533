package org.csemu.core.validate;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.csemu.core.diag.Severity;
import org.csemu.core.model.LocalStorage;
import org.csemu.core.model.RoleDefinition;

/**
 * Local storage names are unique within a role, ignoring case: each becomes a directory of the same name on a
 * case-insensitive file system.
 */
final class DuplicateLocalStorageRule extends BaseRule {

    DuplicateLocalStorageRule() {
        super("CSDEF117", Severity.ERROR, "local storage names are unique within a role (ignoring case)");
    }

    @Override
    public void check(ValidationContext context, Findings findings) {
        for (RoleDefinition role : context.definition().roles()) {
            Map<String, LocalStorage> seen = new HashMap<>();
            for (LocalStorage ls : role.localStorage()) {
                LocalStorage first = seen.putIfAbsent(ls.name().toLowerCase(Locale.ROOT), ls);
                if (first != null) {
                    findings.report(ls.location(), "role '" + role.name() + "': local storage '" + ls.name()
                            + "' is declared twice (first as '" + first.name() + "' at "
                            + Locations.format(first.location()) + ")",
                            "give each local storage resource its own name (the name is its directory name)");
                }
            }
        }
    }
}
