package org.csemu.lb.core;

/** One forwarded connection (TCP) or client flow (UDP), as rotation, draining and the idle sweep see it. */
public interface Flow {

    /** The listener tick of the last byte seen in either direction. */
    long lastActivityTick();

    /** Closes both sides now (idle timeout, drain deadline, empty rotation, listener removed). Any thread. */
    void closeNow();
}
