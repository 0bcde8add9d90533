package org.csemu.fabric.lifecycle;

import java.util.Objects;
import java.util.Optional;

/**
 * One row of the {@link TransitionTable}.
 *
 * @param to the next state; empty when the instance ceases to exist (its deletion finished)
 */
public record Transition(InstanceState from, Trigger trigger, Optional<InstanceState> to) {
    public Transition {
        Objects.requireNonNull(from);
        Objects.requireNonNull(trigger);
        Objects.requireNonNull(to);
    }

    public boolean removesInstance() {
        return to.isEmpty();
    }

    /** The state name after the transition, or {@code (removed)}. */
    public String toName() {
        return to.map(InstanceState::cloudName).orElse("(removed)");
    }
}
