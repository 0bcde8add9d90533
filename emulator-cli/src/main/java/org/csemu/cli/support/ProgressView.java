package org.csemu.cli.support;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.InstanceView;

/**
 * Live progress of a deployment's instances: on a terminal a block of one line per instance redrawn in place (ANSI
 * cursor movement), otherwise one plain line per state change, which is what a CI log wants.
 */
public final class ProgressView {
    private final PrintWriter out;
    private final boolean redraw;
    private final Instant started = Instant.now();
    private final Map<String, String> lastState = new LinkedHashMap<>();
    private int drawnLines;

    public ProgressView(PrintWriter out, boolean redraw) {
        this.out = out;
        this.redraw = redraw;
    }

    public void update(DeploymentView d) {
        List<InstanceView> instances = Views.instances(d);
        if (redraw) {
            draw(d, instances);
        } else {
            for (InstanceView i : instances) {
                String before = lastState.get(i.id());
                if (!i.status().equals(before)) {
                    out.println(stamp() + "  " + i.id() + "  " + (before == null ? "" : before + " -> ") + i.status()
                            + (i.stateDetails() != null && !i.stateDetails().isBlank()
                                    && (i.status().startsWith("Failed") || i.errorCode() != null)
                                    ? "  (" + Views.oneLine(i.stateDetails(), 160) + ")" : ""));
                }
            }
            out.flush();
        }
        instances.forEach(i -> lastState.put(i.id(), i.status()));
    }

    /** Leaves the last drawn block in place and moves below it. */
    public void finish() {
        drawnLines = 0;
        out.flush();
    }

    private void draw(DeploymentView d, List<InstanceView> instances) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"INSTANCE", "STATE", "ROTATION", "DETAILS"});
        for (InstanceView i : instances) {
            rows.add(new String[] {i.id(), i.status(), i.inRotation() ? "in" : "out",
                i.stateDetails() == null ? "" : Views.oneLine(i.stateDetails(), 70)});
        }
        List<String> lines = new ArrayList<>();
        lines.add(d.name() + "  " + d.status() + "  " + stamp());
        lines.addAll(Views.table(rows));
        StringBuilder b = new StringBuilder();
        if (drawnLines > 0) {
            b.append("\033[").append(drawnLines).append('A');
        }
        for (String l : lines) {
            b.append("\r\033[2K").append(l).append('\n');
        }
        for (int extra = lines.size(); extra < drawnLines; extra++) {
            b.append("\r\033[2K\n");
        }
        out.print(b);
        out.flush();
        drawnLines = Math.max(lines.size(), drawnLines);
    }

    private String stamp() {
        long s = Duration.between(started, Instant.now()).toSeconds();
        return String.format("[%02d:%02d]", s / 60, s % 60);
    }
}
