package org.csemu.fabric.runtime;

import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.csemu.fabric.spi.FaultInjector;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.vm.HypervisorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The injected faults on real VMs: each does to the domain what the real failure does (SIGKILL to QEMU, a kernel
 * panic through Alt+SysRq+C, a paused vCPU, a destroyed domain for a failed host) or tells the event translator and
 * the boot what to drop or refuse. What follows (crash event, lost heartbeats, recycle) is the ordinary path.
 */
final class VmFaults implements FaultInjector {
    private static final Logger LOG = LoggerFactory.getLogger(VmFaults.class);

    private final Function<InstanceRef, InstanceDomain> domains;
    private final RuntimeEventTranslator events;
    private final Set<InstanceRef> failNextBoot = ConcurrentHashMap.newKeySet();

    VmFaults(Function<InstanceRef, InstanceDomain> domains, RuntimeEventTranslator events) {
        this.domains = domains;
        this.events = events;
    }

    /** Called by every boot: true once after {@link #failNextBoot} (that boot then fails). */
    boolean consumeFailNextBoot(InstanceRef ref) {
        return failNextBoot.remove(ref);
    }

    @Override
    public void killProcess(InstanceRef ref) {
        try {
            OptionalLong pid = domains.apply(ref).qemuPid();
            if (pid.isEmpty()) {
                throw new RuntimeOperationException(ref + ": no QEMU process to kill (domain not running?)");
            }
            ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
            LOG.info("{}: SIGKILL sent to QEMU pid {}", ref, pid.getAsLong());
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot find the QEMU pid: " + e.getMessage(), e);
        }
    }

    @Override
    public void crashGuest(InstanceRef ref) {
        InstanceDomain domain = domains.apply(ref);
        try {
            if (!domain.isActive()) {
                throw new RuntimeOperationException(ref + ": no running guest to crash");
            }
            CountDownLatch crashed = events.awaitCrash(domain);
            try {
                domain.sendKeys(GuestPanic.SYSRQ_CRASH);
                LOG.info("{}: Alt+SysRq+C sent: the guest kernel panics", ref);
                // the crash itself reaches the controller as a lifecycle event; this only makes the fault's
                // operation say whether a crash was reported at all
                if (!crashed.await(GuestPanic.REPORT_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new RuntimeOperationException(ref + ": no guest crash was reported within "
                            + GuestPanic.REPORT_DEADLINE.toSeconds() + " s of Alt+SysRq+C: the guest may still be"
                            + " booting (no keyboard driver yet), have SysRq disabled, or panic without a pvpanic"
                            + " device (then its lost heartbeats recycle it)");
                }
            } finally {
                events.endAwait(domain, crashed);
            }
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot crash the guest: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeOperationException(ref + ": interrupted while crashing the guest", e);
        }
    }

    @Override
    public void pause(InstanceRef ref) {
        try {
            domains.apply(ref).suspend();
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot pause: " + e.getMessage(), e);
        }
    }

    @Override
    public void failHost(InstanceRef ref) {
        InstanceDomain domain = domains.apply(ref);
        events.expectStop(domain);
        try {
            domain.destroyAndWait(() -> events.expectStop(domain));
        } catch (HypervisorException e) {
            throw new RuntimeOperationException(ref + ": cannot fail the host: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stopHeartbeats(InstanceRef ref) {
        events.silence(ref);
    }

    @Override
    public void failNextBoot(InstanceRef ref) {
        failNextBoot.add(ref);
    }
}
