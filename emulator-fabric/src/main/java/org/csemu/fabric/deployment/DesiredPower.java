package org.csemu.fabric.deployment;

/** What the user wants an instance to be: recovery drives the substrate towards it. */
public enum DesiredPower {
    RUNNING,
    /** Stopped by an instance stop. */
    STOPPED,
    /** Stopped because the deployment is suspended. */
    DEALLOCATED
}
