package org.csemu.fabric.agent;

/**
 * A guest→host message of guest-agent protocol version 1 (docs/guest-agent.md). Every message carries its
 * {@link Header}: the boot id and sequence number let the host drop lines that were written in an earlier boot
 * and delivered late.
 */
public sealed interface AgentMessage {

    Header header();

    /** Fields every message carries. */
    record Header(int version, String type, String boot, long seq) {
    }

    record Hello(Header header, String agent, String instance, boolean firstBoot) implements AgentMessage {
    }

    record Setup(Header header, String phase, boolean restart) implements AgentMessage {
    }

    /** A startup task's progress; {@code exitCode} is null until it exited. */
    record Task(Header header, int index, String command, String taskType, String state, Integer exitCode,
                String outputTail) implements AgentMessage {
        public boolean failed() {
            return "failed".equals(state);
        }
    }

    record Service(Header header, String name, String state, Long pid, Integer exitCode) implements AgentMessage {
    }

    /** {@code status} is {@code Ready}, {@code Busy} or {@code Recycle}. */
    record Status(Header header, String status, String reason) implements AgentMessage {
    }

    record Heartbeat(Header header, String status) implements AgentMessage {
    }

    record Log(Header header, String level, String message) implements AgentMessage {
    }

    record Ack(Header header, String id, boolean cancel) implements AgentMessage {
    }

    /** Progress of a host {@code exec}: one line of its output, or (exactly once, last) its exit code. */
    record Exec(Header header, String id, String output, Integer exitCode) implements AgentMessage {
    }

    /** A message type this host does not know (a newer agent); kept for logs, otherwise ignored. */
    record Unknown(Header header, String json) implements AgentMessage {
    }
}
