package org.csemu.fabric.lifecycle;

import java.util.stream.Collectors;

/** Renders the transition table as Markdown for {@code docs/lifecycle.md}, so the doc is generated from the code. */
public final class LifecycleDocRenderer {
    public static final String BEGIN = "<!-- BEGIN GENERATED TRANSITION TABLE (LifecycleDocRenderer) -->";
    public static final String END = "<!-- END GENERATED TRANSITION TABLE -->";

    private LifecycleDocRenderer() {
    }

    /** The state list and the transition table, between the markers. */
    public static String render(TransitionTable table) {
        StringBuilder md = new StringBuilder(BEGIN).append("\n\n");
        md.append("| state | meaning | operations and faults allowed |\n| --- | --- | --- |\n");
        for (InstanceState s : InstanceState.values()) {
            String allowed = table.allowedRequests(s).stream().map(t -> "`" + t.name().toLowerCase() + "`")
                    .collect(Collectors.joining(", "));
            md.append("| `").append(s.cloudName()).append("` | ").append(s.meaning()).append(" | ")
                    .append(allowed.isEmpty() ? "—" : allowed).append(" |\n");
        }
        md.append("\n| from | trigger | kind | to |\n| --- | --- | --- | --- |\n");
        for (Transition t : table.rows()) {
            md.append("| `").append(t.from().cloudName()).append("` | `").append(t.trigger().name().toLowerCase())
                    .append("` | ").append(t.trigger().kind().name().toLowerCase()).append(" | `")
                    .append(t.toName()).append("` |\n");
        }
        return md.append('\n').append(END).toString();
    }
}
