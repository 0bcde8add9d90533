package org.csemu.lb;

/** No port could be bound for a listener: the range is exhausted, or the address cannot be bound at all. */
public final class PortUnavailableException extends RuntimeException {
    public PortUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
