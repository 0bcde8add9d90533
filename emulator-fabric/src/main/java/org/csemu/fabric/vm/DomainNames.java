package org.csemu.fabric.vm;

import java.util.regex.Pattern;

/**
 * Domain names: {@code csemu-<deployment>-<instance>}, recognizable in {@code virsh list} and unique per data
 * directory because deployment ids are.
 */
public final class DomainNames {

    public static final String PREFIX = "csemu-";
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,199}");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_.-]");

    private DomainNames() {
    }

    public static String of(String deploymentId, String instanceId) {
        return PREFIX + sanitize(deploymentId) + "-" + sanitize(instanceId);
    }

    /** The prefix of every domain of one deployment (for cleanup). */
    public static String deploymentPrefix(String deploymentId) {
        return PREFIX + sanitize(deploymentId) + "-";
    }

    static String sanitize(String part) {
        if (part == null || part.isEmpty()) {
            throw new IllegalArgumentException("empty id in a domain name");
        }
        return UNSAFE.matcher(part).replaceAll("_");
    }

    public static void requireValid(String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a safe libvirt domain name");
        }
    }
}
