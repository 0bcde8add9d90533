package org.csemu.fabric.spi;

/**
 * Something the substrate observed about an instance on its own: libvirt lifecycle events and guest-agent messages.
 * Events caused by the controller's own calls (the stop inside {@link InstanceRuntime#shutdown}) are not reported.
 * A guest that powers itself off is {@link Crashed}; a guest that reboots itself needs no event of its own (its next
 * {@link AgentHello} moves the instance back to StartingRole).
 */
public sealed interface RuntimeEvent {

    InstanceRef ref();

    /** The domain stopped without being asked (QEMU killed, guest panic, guest powered off). */
    record Crashed(InstanceRef ref, String detail) implements RuntimeEvent {
    }

    /** The agent connected after a boot; {@code firstBoot} when the overlay is fresh and setup must run. */
    record AgentHello(InstanceRef ref, String bootId, boolean firstBoot) implements RuntimeEvent {
    }

    /** First-boot setup done; the guest restarts itself once. */
    record SetupRestart(InstanceRef ref) implements RuntimeEvent {
    }

    /** A simple startup task exited non-zero: the instance will not become Ready on this boot. */
    record TaskFailed(InstanceRef ref, int taskIndex, int exitCode, String outputTail) implements RuntimeEvent {
    }

    /** The agent's status (from a {@code status} message); {@code reason} is the agent's, or null. */
    record Status(InstanceRef ref, AgentStatus status, String reason) implements RuntimeEvent {
        public Status(InstanceRef ref, AgentStatus status) {
            this(ref, status, null);
        }
    }

    /** The agent is alive (carries its current status). */
    record Heartbeat(InstanceRef ref, AgentStatus status) implements RuntimeEvent {
    }

    /** Role code asked to be recycled (RoleEnvironment.RequestRecycle). */
    record RecycleRequested(InstanceRef ref) implements RuntimeEvent {
    }

    /** The agent's status values (guest-agent protocol: {@code Starting}, {@code Ready}, {@code Busy}). */
    enum AgentStatus { STARTING, READY, BUSY, NOT_RUNNABLE }
}
