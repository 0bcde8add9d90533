package org.csemu.fabric.spi;

import java.util.function.Consumer;

/** The stream of {@link RuntimeEvent}s of the substrate (libvirt lifecycle callbacks, agent channels). */
public interface RuntimeEvents {

    /** Deliver every future event to the listener; events of one instance arrive in order. */
    void subscribe(Consumer<RuntimeEvent> listener);
}
