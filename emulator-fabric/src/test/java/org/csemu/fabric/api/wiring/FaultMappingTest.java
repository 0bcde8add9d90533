package org.csemu.fabric.api.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import org.csemu.fabric.api.FaultKind;
import org.junit.jupiter.api.Test;

/** Every API fault is executed as what its name says (a guest crash is no longer a killed QEMU). */
class FaultMappingTest {

    @Test
    void eachApiFaultMapsToItsOwnControllerFault() {
        assertThat(FabricServiceAdapter.fault(FaultKind.GUEST_CRASH))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.GUEST_CRASH);
        assertThat(FabricServiceAdapter.fault(FaultKind.KILL_QEMU))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.KILL_PROCESS);
        assertThat(FabricServiceAdapter.fault(FaultKind.HOST_FAILURE))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.HOST_FAILURE);
        assertThat(FabricServiceAdapter.fault(FaultKind.AGENT_HANG))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.STOP_HEARTBEATS);
        assertThat(FabricServiceAdapter.fault(FaultKind.PAUSE))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.PAUSE);
        assertThat(FabricServiceAdapter.fault(FaultKind.FAIL_NEXT_BOOT))
                .isEqualTo(org.csemu.fabric.deployment.InjectedFault.FAIL_NEXT_BOOT);
    }

    @Test
    void noTwoApiFaultsShareAControllerFault() {
        assertThat(java.util.Arrays.stream(FaultKind.values()).map(FabricServiceAdapter::fault).distinct())
                .hasSize(FaultKind.values().length);
    }
}
