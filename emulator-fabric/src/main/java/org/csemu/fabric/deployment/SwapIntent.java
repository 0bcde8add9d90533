package org.csemu.fabric.deployment;

import java.util.Map;

/**
 * A VIP swap in flight, written to {@code desired.json} before the first listener moves and removed in the same write
 * that gives the deployments their new slots. A daemon killed in between finds it and completes the swap with the
 * same operation ({@link FabricController#resumeSwaps}): the listeners' ports are derived from it, so a swap is either
 * not yet visible in the slots or complete, never half done.
 *
 * @param slots every deployment of the swap (one when it moves into an empty slot) and the slot it goes to
 * @param ports every VIP listener of those deployments and the port it ends on
 */
public record SwapIntent(String operationId, String serviceName, Map<String, Slot> slots, Map<String, Integer> ports) {
    public SwapIntent {
        slots = Map.copyOf(slots);
        ports = Map.copyOf(ports);
    }
}
