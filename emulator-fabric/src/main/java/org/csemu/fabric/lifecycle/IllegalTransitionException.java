package org.csemu.fabric.lifecycle;

import java.util.Set;
import java.util.stream.Collectors;

/** A user request the transition table does not allow in the instance's current state. Nothing was changed. */
public class IllegalTransitionException extends RuntimeException {
    private final String instance;
    private final InstanceState state;
    private final Trigger trigger;

    public IllegalTransitionException(String instance, InstanceState state, Trigger trigger, Set<Trigger> allowed) {
        super(message(instance, state, trigger, allowed));
        this.instance = instance;
        this.state = state;
        this.trigger = trigger;
    }

    private static String message(String instance, InstanceState state, Trigger trigger, Set<Trigger> allowed) {
        String allowedText = allowed.isEmpty()
                ? "none until the operation in progress finishes"
                : allowed.stream().map(t -> t.name().toLowerCase()).sorted().collect(Collectors.joining(", "));
        return "cannot " + trigger.name().toLowerCase() + " instance " + instance + ": it is " + state.cloudName()
                + " (" + state.meaning() + "); allowed in " + state.cloudName() + ": " + allowedText;
    }

    public String instance() {
        return instance;
    }

    public InstanceState state() {
        return state;
    }

    public Trigger trigger() {
        return trigger;
    }
}
