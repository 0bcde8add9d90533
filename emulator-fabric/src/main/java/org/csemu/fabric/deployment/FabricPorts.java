package org.csemu.fabric.deployment;

import java.util.Objects;
import org.csemu.fabric.spi.FaultInjector;
import org.csemu.fabric.spi.InstanceRuntime;
import org.csemu.fabric.spi.RotationPublisher;
import org.csemu.fabric.spi.RuntimeEvents;
import org.csemu.fabric.spi.Scheduler;

/**
 * The substrate, load balancer, instance planner and time the controller runs against (real ones in the daemon, fakes
 * in tests).
 */
public record FabricPorts(InstanceRuntime runtime, RotationPublisher rotation, RuntimeEvents events,
                          FaultInjector faults, Scheduler scheduler, InstancePlanner planner) {
    public FabricPorts {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(planner, "planner");
    }
}
