package org.csemu.fabric.spi;

/**
 * A substrate call could not do what it was asked (the domain cannot be started, a disk cannot be created). The
 * controller turns it into a lifecycle trigger (for example START_FAILED), so it must name the instance and the cause.
 */
public class RuntimeOperationException extends RuntimeException {
    public RuntimeOperationException(String message) {
        super(message);
    }

    public RuntimeOperationException(String message, Throwable cause) {
        super(message, cause);
    }
}
