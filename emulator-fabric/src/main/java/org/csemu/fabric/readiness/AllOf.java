package org.csemu.fabric.readiness;

import java.util.ArrayList;
import java.util.List;

/** {@link Ready#allOf}: remembers the parts that were ready, so one wait asks each of them until it is, not after. */
final class AllOf implements Ready {

    private final List<Ready> pending;

    AllOf(List<? extends Ready> parts) {
        this.pending = new ArrayList<>(parts);
    }

    @Override
    public synchronized Status check() throws Exception {
        List<String> notYet = new ArrayList<>();
        for (var it = pending.iterator(); it.hasNext(); ) {
            Status s = it.next().check();
            switch (s.outcome()) {
                case READY -> it.remove();
                case FAILED -> {
                    return s;
                }
                case NOT_YET -> notYet.add(s.detail());
            }
        }
        return notYet.isEmpty() ? Status.ready() : Status.notYet(String.join(", ", notYet));
    }
}
