package org.csemu.fabric.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.csemu.fabric.vm.HypervisorEvent;
import org.junit.jupiter.api.Test;

class GuestPanicTest {

    @Test
    void theCrashKeysAreAltSysRqC() {
        // linux/input-event-codes.h: KEY_LEFTALT 56, KEY_SYSRQ 99, KEY_C 46
        assertThat(GuestPanic.SYSRQ_CRASH).containsExactly(56, 99, 46);
    }

    @Test
    void aPanicEventSaysTheKernelPanickedOtherStopsSayWhatTheyAre() {
        assertThat(GuestPanic.describe(event(HypervisorEvent.Kind.CRASHED, "CRASHED/PANICKED")))
                .isEqualTo("the guest kernel panicked (CRASHED/PANICKED)");
        assertThat(GuestPanic.describe(event(HypervisorEvent.Kind.CRASHED, "STOPPED/FAILED")))
                .isEqualTo("the domain stopped unexpectedly (STOPPED/FAILED)");
        assertThat(GuestPanic.describe(event(HypervisorEvent.Kind.STOPPED, "STOPPED/SHUTDOWN")))
                .isEqualTo("the guest powered itself off (STOPPED/SHUTDOWN)");
    }

    private static HypervisorEvent event(HypervisorEvent.Kind kind, String detail) {
        return new HypervisorEvent("qemu:///system", "csemu-x", kind, detail, Instant.EPOCH);
    }
}
