package org.csemu.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The one rule for a test that needs something from the host (libvirt, the guest image, a browser): under
 * {@code CI=true} a missing requirement fails the test, so CI never passes by skipping; elsewhere the test is
 * skipped with the reason and the fix.
 */
public final class HostRequirement {

    private HostRequirement() {
    }

    /** True when the environment says this is CI ({@code CI=true}), where nothing may be skipped. */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Returns when {@code condition} holds; otherwise fails under CI and skips elsewhere, saying {@code missing}. */
    public static void require(boolean condition, String missing) {
        if (condition) {
            return;
        }
        if (ci()) {
            throw new AssertionError(missing + " (CI=true: tests must not be skipped; run ./csemu setup)");
        }
        Assumptions.abort(missing + " (skipped locally; under CI=true this fails)");
    }
}
