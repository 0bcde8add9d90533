package org.csemu.fabric.contract;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.csemu.fabric.deployment.FabricController;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.deployment.fakes.FakeRuntime;
import org.csemu.fabric.deployment.fakes.Harness;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.service.LoadedService;
import org.csemu.fabric.service.ServiceSource;
import org.csemu.fabric.service.ServiceStore;

/**
 * The contract on {@code FakeRuntime}: the probe service loaded as the daemon loads it, a controller on the fakes,
 * and the fake's model of the guest (its boot counters per disk) and of the host (disk and drive file numbers).
 */
public final class FakeContractTarget implements ContractTarget {
    private final Harness harness;
    private final Path service;
    private int rotationMark;

    public FakeContractTarget(Path dataDir, Path service) {
        this.harness = Harness.open(dataDir);
        this.service = service;
    }

    @Override
    public FabricController controller() {
        return harness.controller;
    }

    @Override
    public String deploy() throws Exception {
        ServiceSource source = ServiceSource.resolve(service, null, harness.dataDir.resolve("tmp"));
        LoadedService loaded;
        try {
            loaded = new ServiceStore(harness.dataDir).stage("lifecycle-probe", source);
        } finally {
            source.cleanup();
        }
        harness.controller.createDeployment("lifecycle-probe", Slot.PRODUCTION, loaded.definition(),
                loaded.configuration());
        return harness.deployment("lifecycle-probe").id();
    }

    @Override
    public String delete(String deploymentId) {
        return harness.controller.deleteDeployment(deploymentId).id();
    }

    @Override
    public String scale(String deploymentId, String role, int count) {
        return harness.controller.scale(deploymentId, role, count).id();
    }

    @Override
    public void pump() {
        harness.runtime.settle();
    }

    @Override
    public Duration budget() {
        return Duration.ofSeconds(10);
    }

    @Override
    public Evidence observe(InstanceRef ref) {
        FakeRuntime.Domain d = harness.runtime.domains().get(ref);
        if (d == null) {
            return new Evidence(null, null, null, null, null, null, false);
        }
        synchronized (harness.runtime) {
            boolean running = d.power == org.csemu.fabric.spi.DomainInfo.Power.RUNNING;
            return new Evidence(running ? d.osBoots : null, running ? d.localBoots.get(CLEAN) : null,
                    running ? d.localBoots.get(KEEP) : null, "overlay#" + d.overlayId, "local#" + d.localDiskId,
                    "drive#" + d.configDriveFile, true);
        }
    }

    @Override
    public void markRotation() {
        rotationMark = harness.timeline.entries().size();
    }

    @Override
    public List<String> rotation(InstanceRef ref) {
        List<String> entries = harness.timeline.entries();
        List<String> out = new ArrayList<>();
        for (String e : entries.subList(Math.min(rotationMark, entries.size()), entries.size())) {
            int space = e.indexOf(' ');
            if (space > 0 && e.substring(space + 1).equals(ref.instanceId())) {
                switch (e.substring(0, space)) {
                    case "in" -> out.add("in");
                    case "out" -> out.add("out");
                    case "remove" -> out.add("removed");
                    default -> { }
                }
            }
        }
        return out;
    }
}
