package org.csemu.fabric.runtime;

import org.csemu.fabric.spi.RuntimeOperationException;

/** A second {@code csemu shell} on an instance whose one terminal is taken. */
public final class TerminalBusyException extends RuntimeOperationException {
    public TerminalBusyException(String message) {
        super(message);
    }
}
