package org.csemu.lb;

/** Health of one backend as its load-balancer probe sees it. */
public enum ProbeState {
    /** No probe result yet: not in rotation (the up rule needs a first success). */
    UNKNOWN,
    UP,
    DOWN
}
