package org.csemu.fabric.vm;

/** A domain's run state, independent of libvirt's enum. */
public enum DomainState {
    RUNNING, PAUSED, SHUTTING_DOWN, SHUT_OFF, CRASHED, SUSPENDED_TO_MEMORY, UNKNOWN;

    public boolean isActive() {
        return this == RUNNING || this == PAUSED || this == SHUTTING_DOWN;
    }
}
