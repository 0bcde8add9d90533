package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.testing.VmTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.fabric.it.FabricChecks.BOOT;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.runtime.VipEndpoint;
import org.csemu.fabric.runtime.VipRotation;
import org.csemu.fabric.service.InstanceNetwork;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.lb.BackendHandle;
import org.csemu.lb.ProbeState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Load-balancer probes on ports of their own, end to end (the {@code probes} service): the http probe of {@code Http}
 * asks guest port 8101 for /health, which only {@code Web_IN_0} answers; the tcp probe of {@code Raw} connects to
 * 8103, which both answer. Both instances are Ready; {@code Web_IN_1} is out of Http's rotation (its probe fails) and
 * in Raw's; the VIP's Http answers come from {@code Web_IN_0} only. The probe forwards show in the instance network.
 */
@VmTest
class ProbesVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void aProbeOnAPortOfItsOwnGatesRotationWhileTheInstanceStaysReady() throws Exception {
        Fabric fabric = ENV.start();
        Path service = Path.of(ProbesVmTest.class.getResource("/services/probes").toURI());
        Fabric.DeploymentCreation created = fabric.createDeployment("probes", Slot.PRODUCTION, service, null);
        String id = created.deploymentId();
        FabricChecks.awaitAllReady(fabric, id, BOOT);

        for (String instance : java.util.List.of("Web_IN_0", "Web_IN_1")) {
            InstanceNetwork n = fabric.instanceNetwork(id, instance).orElseThrow();
            assertThat(n.hostPorts()).containsEntry("probe:health", 8101).containsEntry("probe:alive", 8103);
        }
        VipRotation.EndpointListener http = listener(fabric, id, "Http");
        VipRotation.EndpointListener raw = listener(fabric, id, "Raw");
        Poller.standard().until("the probes' verdicts", Deadline.after(Duration.ofSeconds(90)), () ->
                probe(http, "Web_IN_0") == ProbeState.UP && probe(http, "Web_IN_1") == ProbeState.DOWN
                        && probe(raw, "Web_IN_0") == ProbeState.UP && probe(raw, "Web_IN_1") == ProbeState.UP);
        assertThat(backend(http, "Web_IN_1").eligible()).as("Ready, so eligible").isTrue();
        assertThat(backend(http, "Web_IN_1").inRotation()).as("but its probe fails").isFalse();
        assertThat(backend(http, "Web_IN_0").inRotation()).isTrue();
        assertThat(backend(raw, "Web_IN_1").inRotation()).isTrue();
        assertThat(fabric.controller().state(id, "Web_IN_1")).contains(InstanceState.READY_ROLE);

        VipEndpoint vip = created.endpoints().stream().filter(e -> e.endpoint().equals("Http")).findFirst()
                .orElseThrow();
        for (int i = 0; i < 6; i++) {
            assertThat(FabricChecks.get("127.0.0.1", vip.boundPort(), "/index.html").trim()).isEqualTo("Web_IN_0");
        }
    }

    private static VipRotation.EndpointListener listener(Fabric fabric, String id, String endpoint) {
        return fabric.rotation().endpointListeners(id).stream().filter(l -> l.endpoint().equals(endpoint))
                .findFirst().orElseThrow();
    }

    private static BackendHandle backend(VipRotation.EndpointListener l, String instance) {
        return l.listener().backends().stream().filter(b -> b.id().equals(instance)).findFirst().orElseThrow();
    }

    private static ProbeState probe(VipRotation.EndpointListener l, String instance) {
        return Optional.ofNullable(backend(l, instance).probeStatus()).map(s -> s.state()).orElse(null);
    }
}
