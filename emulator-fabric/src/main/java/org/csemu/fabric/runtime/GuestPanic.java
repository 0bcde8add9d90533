package org.csemu.fabric.runtime;

import java.util.Locale;
import org.csemu.fabric.vm.HypervisorEvent;

/**
 * How csemu crashes a guest kernel for real and how it recognises the crash. The guest-crash fault presses
 * Alt+SysRq+C on the guest's keyboard through libvirt: the kernel (booted with {@code sysrq_always_enabled=1})
 * panics in {@code sysrq_handle_crash}, prints the panic on its serial console, and its pvpanic device (ISA,
 * {@code <panic model='isa'/>}) tells QEMU, so libvirt destroys the domain ({@code <on_crash>destroy}) and reports
 * {@code CRASHED/PANICKED}. An NMI would panic the kernel too, but from NMI context the console is only flushed
 * after pvpanic already stopped the guest, so the panic would never reach the console log.
 */
final class GuestPanic {
    /** KEY_LEFTALT, KEY_SYSRQ, KEY_C (linux/input-event-codes.h), pressed together. */
    static final int[] SYSRQ_CRASH = {56, 99, 46};

    /** How long the fault waits for libvirt to report the crash (a panic is reported in well under a second). */
    static final java.time.Duration REPORT_DEADLINE = java.time.Duration.ofSeconds(20);

    private GuestPanic() {
    }

    /** The crash cause the event log shows for a domain that stopped unasked. */
    static String describe(HypervisorEvent event) {
        String detail = event.detail() == null ? "" : event.detail();
        if (detail.toUpperCase(Locale.ROOT).contains("PANIC")) {
            return "the guest kernel panicked (" + detail + ")";
        }
        return event.kind() == HypervisorEvent.Kind.CRASHED
                ? "the domain stopped unexpectedly (" + detail + ")"
                : "the guest powered itself off (" + detail + ")";
    }
}
