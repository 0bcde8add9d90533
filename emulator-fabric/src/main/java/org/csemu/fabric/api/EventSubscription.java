package org.csemu.fabric.api;

/** A live event feed; closing it stops the deliveries (idempotent, never throws). */
public interface EventSubscription extends AutoCloseable {
    @Override
    void close();
}
