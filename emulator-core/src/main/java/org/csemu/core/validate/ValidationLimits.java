package org.csemu.core.validate;

/**
 * The service-model limits the Microsoft compute emulator enforces (SDK 1.5+): 25 roles, 25 input and 25 internal
 * endpoints, 50 role instances per deployment. They are overridable because a bigger machine can run more, and
 * {@code limitsAsWarnings} reports a breach as a warning instead of an error, like {@code _CSRUN_SKIP_LIMIT_VALIDATION}.
 */
public record ValidationLimits(int maxRoles, int maxInputEndpoints, int maxInternalEndpoints, int maxInstances, boolean limitsAsWarnings) {

    public static final int DEFAULT_MAX_ROLES = 25;
    public static final int DEFAULT_MAX_INPUT_ENDPOINTS = 25;
    public static final int DEFAULT_MAX_INTERNAL_ENDPOINTS = 25;
    public static final int DEFAULT_MAX_INSTANCES = 50;

    public ValidationLimits {
        requirePositive("maxRoles", maxRoles);
        requirePositive("maxInputEndpoints", maxInputEndpoints);
        requirePositive("maxInternalEndpoints", maxInternalEndpoints);
        requirePositive("maxInstances", maxInstances);
    }

    /** The compute emulator's limits, enforced as errors. */
    public static ValidationLimits defaults() {
        return new ValidationLimits(DEFAULT_MAX_ROLES, DEFAULT_MAX_INPUT_ENDPOINTS, DEFAULT_MAX_INTERNAL_ENDPOINTS,
                DEFAULT_MAX_INSTANCES, false);
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }
}
