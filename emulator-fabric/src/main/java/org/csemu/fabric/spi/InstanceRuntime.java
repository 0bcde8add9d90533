package org.csemu.fabric.spi;

import java.util.List;

/**
 * The VM substrate as the controller sees it (implemented over libvirt, the disk manager and the guest-agent
 * channel by the integrator). Every call is synchronous, blocking until done or failed, and idempotent, so that
 * recovery can simply repeat the step that a crash interrupted. Calls never touch the base image.
 */
public interface InstanceRuntime {

    /**
     * Prepare the disks as the plan says (creating what is missing), write or keep the config drive, define the domain
     * if needed and start it. If the domain is running it is destroyed first (a boot is always a fresh QEMU).
     *
     * @throws RuntimeOperationException when the domain cannot be (re)started
     */
    void boot(InstanceSpec spec, DiskPlan plan);

    /** Stop the domain (graceful through the agent, destroy as the fallback) and keep it defined with its disks. */
    void shutdown(InstanceRef ref, ShutdownMode mode);

    /** Destroy and undefine the domain and delete the instance's overlay, local storage and config drive. */
    void delete(InstanceRef ref);

    /** The csemu instances (domains, or leftover disks) that exist for this fabric's data directory. */
    List<DomainInfo> list();

    /**
     * Bring a new service configuration to one instance without a restart where the guest allows it: a running
     * guest is sent {@code changing} (its role may cancel), then its config drive is rewritten in place and it is
     * sent {@code changed} (the agent refreshes its copy first, so Changed handlers see the new values); a stopped
     * instance only gets the rewritten drive. The configuration is the deployment's current one in the service store.
     */
    ConfigurationChangeOutcome changeConfiguration(InstanceSpec spec, List<ConfigurationChange> changes);

    /** Re-open the agent channel of a domain that survived a daemon restart (events flow again afterwards). */
    void reconnect(InstanceRef ref);
}
