package org.csemu.core.model;

/** An inclusive port range; a FixedPort is a range of one. */
public record PortRange(int min, int max) {

    public static PortRange single(int port) {
        return new PortRange(port, port);
    }

    public int size() {
        return max - min + 1;
    }

    public boolean contains(int port) {
        return port >= min && port <= max;
    }
}
