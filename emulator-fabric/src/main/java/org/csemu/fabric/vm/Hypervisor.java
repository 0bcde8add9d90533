package org.csemu.fabric.vm;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fabric's view of one hypervisor host (one libvirt connection URI). Fault domains map to hosts, so the fabric
 * holds one {@code Hypervisor} per URI ({@code qemu:///system} locally, {@code qemu+ssh://host/system} later); all
 * operations are by domain name so callers never hold libvirt objects.
 *
 * <p>Graceful stop and reboot are not here: a minimal guest ignores ACPI, so they go through the guest agent, with
 * {@link #destroy} as the fallback.
 */
public interface Hypervisor extends AutoCloseable {

    /** The connection URI this hypervisor talks to. */
    String uri();

    /** The virtualization type domains get on this host ({@code kvm} only when KVM really works, else {@code qemu}). */
    String virtType();

    /** Defines the domain persistently (replacing an inactive definition of the same name) and starts it. */
    void defineAndStart(DomainSpec spec) throws HypervisorException;

    /** Defines the domain persistently without starting it. */
    void define(DomainSpec spec) throws HypervisorException;

    /** Starts a defined, inactive domain. */
    void start(String name) throws HypervisorException;

    /** Hard power-off; a no-op when the domain is not running or does not exist. */
    void destroy(String name) throws HypervisorException;

    /** Removes the definition; a no-op when it does not exist. Destroy first if it runs. */
    void undefine(String name) throws HypervisorException;

    void suspend(String name) throws HypervisorException;

    void resume(String name) throws HypervisorException;

    /** The domain's state, empty when no such domain exists. */
    Optional<DomainState> state(String name) throws HypervisorException;

    /** Every domain (running or not) carrying csemu metadata, with that metadata parsed back. */
    List<CsemuDomain> listCsemuDomains() throws HypervisorException;

    /** The QEMU process id of a running domain, when this host can tell (local connections only). */
    OptionalLong qemuPid(String name) throws HypervisorException;

    /**
     * Presses keys together on the domain's keyboard ({@code virsh send-key}), Linux input key codes
     * ({@code KEY_*} of {@code linux/input-event-codes.h}); used to crash the guest kernel with Alt+SysRq+C.
     */
    void sendKeys(String name, int... linuxKeyCodes) throws HypervisorException;

    /** Runs a human monitor (HMP) command, e.g. {@code hostfwd_add}; returns its output. */
    String monitorCommand(String name, String hmpCommand) throws HypervisorException;

    /** Subscribes to lifecycle events of every domain on this host; close the returned handle to stop. */
    AutoCloseable subscribe(HypervisorListener listener);

    @Override
    void close();
}
