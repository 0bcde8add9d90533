package org.csemu.fabric.deployment.fakes;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.csemu.core.model.RoleKind;
import org.csemu.fabric.deployment.DeploymentRecord;
import org.csemu.fabric.deployment.DesiredPower;
import org.csemu.fabric.deployment.DesiredState;
import org.csemu.fabric.deployment.InstanceRecord;
import org.csemu.fabric.deployment.ObservedInstance;
import org.csemu.fabric.deployment.ObservedState;
import org.csemu.fabric.deployment.RoleRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.persist.JsonFileStore;
import org.csemu.fabric.spi.LocalResource;

/** Writes a data directory holding one deployment with one web instance in a chosen state. */
public final class Seeds {
    public static final String DEPLOYMENT = "0123456789abcdef0123456789abcdef";
    public static final String INSTANCE = "WebRole1_IN_0";

    private Seeds() {
    }

    public static void oneInstanceIn(Path dataDir, InstanceState state) {
        RoleRecord web = new RoleRecord(Fixtures.WEB, RoleKind.WEB_ROLE, 1,
                List.of(new LocalResource("cache", 10, true)), null, List.of("HttpIn"));
        InstanceRecord instance = new InstanceRecord(INSTANCE, Fixtures.WEB, 0, 0, 0,
                state == InstanceState.STOPPED_VM ? DesiredPower.STOPPED
                        : state == InstanceState.STOPPED_DEALLOCATED ? DesiredPower.DEALLOCATED : DesiredPower.RUNNING,
                1, 0, null, 0);
        DeploymentRecord d = new DeploymentRecord(DEPLOYMENT, "seeded", "svc", Slot.PRODUCTION, false, false, 5,
                List.of(web), List.of(instance), Instant.parse("2026-01-01T00:00:00Z"), 0);
        new JsonFileStore<>(dataDir.resolve("desired.json"), DesiredState.class)
                .save(new DesiredState(DesiredState.VERSION, "seeded-fabric", List.of(d), List.of()));
        new JsonFileStore<>(dataDir.resolve("observed.json"), ObservedState.class).save(new ObservedState(Map.of(
                DEPLOYMENT, Map.of(INSTANCE, new ObservedInstance(state, Instant.parse("2026-01-01T00:00:00Z"), 7, 0,
                        "seeded")))));
    }
}
