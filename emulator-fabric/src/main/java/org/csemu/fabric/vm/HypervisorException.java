package org.csemu.fabric.vm;

/** A hypervisor operation failed; the message names the domain and what libvirt said. */
public class HypervisorException extends Exception {
    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }

    public HypervisorException(String message) {
        super(message);
    }
}
