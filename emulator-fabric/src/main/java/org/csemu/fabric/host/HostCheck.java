package org.csemu.fabric.host;

/**
 * One thing {@code ./csemu setup} guarantees and {@code csemu doctor} verifies. Implementations only read the host
 * (files under the context's root, subprocess output); they never change it.
 */
public interface HostCheck {

    /** Stable identifier, e.g. {@code libvirtd}. */
    String id();

    /** Runs the check; never throws for a broken host (that is a {@link CheckStatus#FAIL} result). */
    CheckResult run(HostContext context);
}
