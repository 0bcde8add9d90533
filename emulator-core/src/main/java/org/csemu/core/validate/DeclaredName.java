package org.csemu.core.validate;

import org.csemu.core.model.SourceLocation;

/**
 * A setting or certificate name a role declares, explicitly or through a module import.
 *
 * @param module   the importing module's name, or null for an explicit declaration
 * @param required false for a module setting only some SDK versions declare
 */
record DeclaredName(String name, SourceLocation location, String module, boolean required) {

    boolean implied() {
        return module != null;
    }

    /** For messages: where the declaration comes from. */
    String origin() {
        return implied()
                ? "declared by the " + module + " module import (" + Locations.format(location) + ")"
                : "declared in the definition (" + Locations.format(location) + ")";
    }
}
