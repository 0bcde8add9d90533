package org.csemu.lb;

import java.util.List;

/**
 * A listener that is bound and forwarding. The fabric adds one backend per role instance and flips its eligibility as
 * the instance's state changes.
 */
public interface BoundListener {

    /** What it was declared with; its {@code accessControl} is the one in force ({@link #changeAccessControl}). */
    ListenerSpec spec();

    /**
     * Replaces the endpoint ACL (null: every source permitted), as a configuration update does in the cloud: each
     * new connection (a UDP flow's first datagram) is checked against the new rules from now on; connections already
     * admitted stay, since csemu checks a source once, when its connection starts.
     */
    void changeAccessControl(AccessControlList acl);

    /** The VIP address it is bound to. */
    String address();

    /** The port actually bound: the declared one, or the next free one (see {@link #portChanged()}). */
    int port();

    /** True when the bound port differs from the declared one (taken or privileged): say so to the user. */
    boolean portChanged();

    /**
     * Adds a backend: the instance's loopback address and the endpoint's local port. It starts ineligible; the probe
     * (if any) starts at once.
     *
     * Adding one that exists with the same id, host and port returns it as it is (eligibility, probe, connections):
     * what a controller does when it declares its backends again after a restart.
     *
     * @throws IllegalArgumentException when the id is already used on this listener with another host or port
     */
    BackendHandle addBackend(String id, String host, int port);

    /** Removes a backend: it leaves rotation and its connections drain as for any leave. */
    void removeBackend(String id);

    List<BackendHandle> backends();

    ListenerStats stats();
}
