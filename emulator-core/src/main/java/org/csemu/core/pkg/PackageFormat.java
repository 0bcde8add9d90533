package org.csemu.core.pkg;

import java.time.LocalDateTime;

/** Constants of the csemu package layout (see docs/packages.md). */
public final class PackageFormat {

    /** The manifest entry; a zip without it is not a csemu package. */
    public static final String MANIFEST_ENTRY = "csemu-package.xml";
    /** The service definition, byte for byte as given to {@code csemu pack}. */
    public static final String DEFINITION_ENTRY = "ServiceDefinition/ServiceDefinition.csdef";
    /** Role files live under {@code Roles/<role>/<path>}. */
    public static final String ROLES_PREFIX = "Roles/";
    public static final String NAMESPACE = "urn:csemu:package:1";
    public static final int FORMAT_VERSION = 1;
    public static final String APPROOT = "approot";
    public static final String SITESROOT = "sitesroot";
    /** Every entry gets this timestamp (the DOS epoch), so the same inputs give the same bytes. */
    public static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private PackageFormat() {
    }

    public static String roleEntry(String role, String path) {
        return ROLES_PREFIX + role + "/" + path;
    }
}
