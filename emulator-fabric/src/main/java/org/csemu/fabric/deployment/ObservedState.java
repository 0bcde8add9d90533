package org.csemu.fabric.deployment;

import java.util.Map;

/** The fabric's {@code observed.json}: deployment id → instance id → last known state. */
public record ObservedState(Map<String, Map<String, ObservedInstance>> deployments) {
    public ObservedState {
        deployments = Map.copyOf(deployments);
    }
}
