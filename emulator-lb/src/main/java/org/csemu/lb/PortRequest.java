package org.csemu.lb;

/**
 * Which public port a listener wants. {@link #preferred(int)} is an input endpoint: the declared port, or when that
 * one is taken or privileged, the next free one (the caller reads the real one from {@link BoundListener#port()}).
 * {@link #range(int, int)} is an instance input endpoint's {@code AllocatePublicPortFrom}: the first free port of the
 * range, or an error when the whole range is taken.
 */
public record PortRequest(int min, int max, boolean fallbackOutsideRange) {

    public PortRequest {
        if (min < 0 || max > 65535 || min > max) {
            throw new IllegalArgumentException("port range " + min + "-" + max + " is not within 0-65535");
        }
    }

    /** The declared port, or the next free one; 0 asks the system for any free port. */
    public static PortRequest preferred(int port) {
        return new PortRequest(port, port, true);
    }

    /** The first free port within [min, max], nothing outside it. */
    public static PortRequest range(int min, int max) {
        return new PortRequest(min, max, false);
    }

    @Override
    public String toString() {
        return fallbackOutsideRange ? "port " + min : "ports " + min + "-" + max;
    }
}
