package org.csemu.fabric.api;

import java.util.Locale;

/** The operations a user can ask of one role instance (ARCHITECTURE.md, lifecycle table). */
public enum InstanceAction {
    /** Restart the guest; the OS disk and local storage are kept. */
    REBOOT,
    /** A fresh OS disk from the base image; local storage kept. */
    REIMAGE,
    /** A fresh OS disk and fresh local storage. */
    REBUILD,
    /** Stop the VM (StoppedVM); its disks are kept. */
    STOP,
    /** Start a stopped VM. */
    START;

    /** The lower-case word used in URLs ({@code .../reboot}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InstanceAction fromWireName(String s) {
        for (InstanceAction a : values()) {
            if (a.wireName().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown instance action '" + s + "'");
    }
}
