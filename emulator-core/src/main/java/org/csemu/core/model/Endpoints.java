package org.csemu.core.model;

import java.util.List;

/** The three kinds of endpoint a role declares, each list in document order. */
public record Endpoints(List<InputEndpoint> input, List<InternalEndpoint> internal, List<InstanceInputEndpoint> instanceInput) {

    public static final Endpoints NONE = new Endpoints(List.of(), List.of(), List.of());

    public Endpoints {
        input = List.copyOf(input);
        internal = List.copyOf(internal);
        instanceInput = List.copyOf(instanceInput);
    }
}
