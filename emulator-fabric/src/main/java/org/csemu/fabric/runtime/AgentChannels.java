package org.csemu.fabric.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.csemu.fabric.agent.AgentChannel;
import org.csemu.fabric.agent.AgentListener;
import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeOperationException;

/**
 * The host ends of the instances' guest-agent channels, one per instance, kept open across reboots of its domain
 * (the channel reconnects when QEMU re-creates the socket); every message goes to one consumer.
 */
final class AgentChannels {
    private final Map<InstanceRef, AgentChannel> channels = new ConcurrentHashMap<>();
    private final BiConsumer<InstanceRef, AgentMessage> messages;

    AgentChannels(BiConsumer<InstanceRef, AgentMessage> messages) {
        this.messages = messages;
    }

    /** Open the channel of this domain's socket unless it is open. */
    void ensure(InstanceDomain domain) {
        var socket = domain.agentSocket();
        try {
            Files.createDirectories(socket.getParent());
        } catch (IOException e) {
            throw new RuntimeOperationException("cannot create " + socket.getParent() + ": " + e.getMessage(), e);
        }
        channels.computeIfAbsent(domain.ref(), r -> new AgentChannel(socket, new AgentListener() {
            @Override
            public void onMessage(AgentMessage message) {
                messages.accept(r, message);
            }
        }).start());
    }

    /** The channel when the agent is connected right now. */
    Optional<AgentChannel> connected(InstanceRef ref) {
        AgentChannel c = channels.get(ref);
        return c != null && c.isConnected() ? Optional.of(c) : Optional.empty();
    }

    void close(InstanceRef ref) {
        AgentChannel c = channels.remove(ref);
        if (c != null) {
            c.close();
        }
    }

    void closeAll() {
        channels.values().forEach(AgentChannel::close);
        channels.clear();
    }
}
