package org.csemu.lb;

/**
 * One backend (a role instance's endpoint) of a listener. It is in rotation when the fabric says it is eligible
 * (Ready, or always with {@code ignoreRoleInstanceStatus="true"}) and its probe, where one is declared, is up.
 */
public interface BackendHandle {

    String id();

    String host();

    int port();

    /** The fabric's switch. Leaving takes effect for the next connection; existing ones drain. */
    void setEligible(boolean eligible);

    boolean eligible();

    boolean inRotation();

    /** The probe's result; {@link ProbeState#UP} with an empty result when the listener has no probe. */
    ProbeStatus probeStatus();

    BackendStats stats();
}
