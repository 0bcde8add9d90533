package org.csemu.core.parse;

/**
 * The defaults the parser applies when an attribute is absent, in one place (docs/diagnostics.md repeats them).
 *
 * <p>{@link #LOCAL_STORAGE_SIZE_MB}: the 2.4 XSD declares 1000 as the default of LocalStorage@sizeInMB, the
 * platform documentation says a store without sizeInMB gets 100 MB (shared/reference/azure-service-model.md §1.6,
 * marked ⚠). csemu follows the documentation, i.e. what a role actually gets in the cloud, so that a role tested
 * locally does not find ten times the space it will have in production.
 */
public final class ServiceModelDefaults {
    public static final int UPGRADE_DOMAIN_COUNT = 5;
    public static final String VM_SIZE = "Small";
    public static final boolean ENABLE_NATIVE_CODE_EXECUTION = true;
    public static final int IDLE_TIMEOUT_MINUTES = 4;
    public static final int PROBE_INTERVAL_SECONDS = 15;
    public static final int PROBE_TIMEOUT_SECONDS = 31;
    public static final int LOCAL_STORAGE_SIZE_MB = 100;
    public static final boolean CLEAN_ON_ROLE_RECYCLE = true;
    public static final String CERTIFICATE_PERMISSION_LEVEL = "limitedOrElevated";
    public static final String SCHEMA_VERSION = "unspecified";
    public static final boolean CLEANUP_FIREWALL_ON_ROLE_RESTART = true;
    public static final boolean ALLOW_ROLE_PROCESS_LOCAL_DUMPS = false;

    private ServiceModelDefaults() {
    }
}
