package org.csemu.fabric.agent;

/** Receives what the guest agent says; called on the channel's reader thread, in order. */
public interface AgentListener {

    void onMessage(AgentMessage message);

    /** The host side of the channel connected ({@code true}) or lost the stream ({@code false}). */
    default void onConnection(boolean connected) {
    }
}
