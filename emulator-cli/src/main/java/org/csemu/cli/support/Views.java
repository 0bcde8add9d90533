package org.csemu.cli.support;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.api.BackendView;
import org.csemu.fabric.api.DeploymentView;
import org.csemu.fabric.api.EndpointView;
import org.csemu.fabric.api.EventView;
import org.csemu.fabric.api.InstanceView;
import org.csemu.fabric.api.RoleView;

/** How the CLI shows the API's views: text tables for people, stable JSON shapes for scripts. */
public final class Views {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private Views() {
    }

    /** {@code http://127.0.0.1:8080/} for an http endpoint, {@code tcp://127.0.0.1:9000} otherwise. */
    public static String url(EndpointView e) {
        String scheme = e.protocol() == null ? "tcp" : e.protocol().toLowerCase();
        return switch (scheme) {
            case "http", "https" -> scheme + "://" + e.address() + ":" + e.publicPort() + "/";
            case "udp" -> "udp://" + e.address() + ":" + e.publicPort();
            default -> "tcp://" + e.address() + ":" + e.publicPort();
        };
    }

    /** {@code 80 -> 8080} when the declared port was taken or privileged, else nothing. */
    public static String remap(EndpointView e) {
        return e.declaredPort() != e.publicPort() && e.declaredPort() > 0 ? e.declaredPort() + " -> " + e.publicPort()
                : "";
    }

    /** One line per input endpoint: {@code Http  http://127.0.0.1:8080/  (80 -> 8080)}. */
    public static List<String> endpointLines(DeploymentView d) {
        int width = d.endpoints().stream().mapToInt(e -> e.name().length()).max().orElse(0);
        List<String> out = new ArrayList<>();
        for (EndpointView e : d.endpoints()) {
            String remap = remap(e);
            out.add(pad(e.name(), width) + "  " + url(e) + (remap.isEmpty() ? "" : "  (" + remap + ")"));
        }
        return out;
    }

    public static List<InstanceView> instances(DeploymentView d) {
        List<InstanceView> out = new ArrayList<>();
        d.roles().forEach(r -> out.addAll(r.instances()));
        return out;
    }

    /** The status text: deployment, endpoints, then per role a table of its instances. */
    public static String status(DeploymentView d) {
        StringBuilder b = new StringBuilder();
        b.append("deployment ").append(d.name()).append("  ").append(d.slot()).append("  ").append(d.status())
                .append("  (id ").append(d.id()).append(")\n");
        if (d.upgrade() != null) {
            b.append("  ").append(upgradeLine(d.upgrade())).append('\n');
        }
        List<String> endpoints = endpointLines(d);
        if (!endpoints.isEmpty()) {
            b.append("  endpoints on the VIP ").append(d.vip()).append(":\n");
            endpoints.forEach(l -> b.append("    ").append(l).append('\n'));
        }
        for (RoleView r : d.roles()) {
            b.append("  role ").append(r.name()).append("  ").append(r.kind()).append(", ").append(r.instanceCount())
                    .append(r.instanceCount() == 1 ? " instance" : " instances").append(", image ").append(r.image())
                    .append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"INSTANCE", "STATE", "UD", "FD", "ROTATION", "ADDRESS", "SINCE", "DETAILS"});
            for (InstanceView i : r.instances()) {
                rows.add(new String[] {i.id(), i.status(), Integer.toString(i.upgradeDomain()),
                    Integer.toString(i.faultDomain()), i.inRotation() ? "in" : "out",
                    i.address() == null ? "-" : i.address(), time(i.statusSince()),
                    (i.errorCode() == null ? "" : i.errorCode() + ": ")
                            + (i.stateDetails() == null ? "" : oneLine(i.stateDetails(), 60))});
            }
            table(rows).forEach(l -> b.append("    ").append(l).append('\n'));
        }
        return b.toString();
    }

    /**
     * One line for the rollout in progress: {@code upgrade UpgradeDeployment (Manual) op-…: UD0 done, UD1 current
     * (waiting for csemu walk 1), UD2 pending}.
     */
    public static String upgradeLine(org.csemu.fabric.api.UpgradeView u) {
        StringBuilder b = new StringBuilder("upgrade ").append(u.kind()).append(" (").append(u.mode()).append(") ")
                .append(u.operationId()).append(": ");
        List<String> parts = new ArrayList<>();
        for (org.csemu.fabric.api.UpgradeView.Domain x : u.domains()) {
            String part = "UD" + x.domain() + " " + x.state();
            if (x.state().equals("current") && u.currentDomainState().equals("Before")) {
                part += u.mode().equals("Manual") ? " (waiting for: csemu walk " + x.domain() + ")" : " (waiting)";
            }
            parts.add(part);
        }
        b.append(String.join(", ", parts));
        if (u.rollbackAllowed()) {
            b.append("; csemu rollback undoes it");
        }
        return b.toString();
    }

    /** The {@code status --json} shape of one deployment (documented in docs/cli.md). */
    public static Map<String, Object> statusJson(DeploymentView d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("name", d.name());
        m.put("slot", d.slot());
        m.put("status", d.status());
        m.put("vip", d.vip());
        List<Map<String, Object>> endpoints = new ArrayList<>();
        for (EndpointView e : d.endpoints()) {
            Map<String, Object> em = new LinkedHashMap<>();
            em.put("name", e.name());
            em.put("protocol", e.protocol());
            em.put("url", url(e));
            em.put("port", e.publicPort());
            em.put("declaredPort", e.declaredPort());
            endpoints.add(em);
        }
        m.put("endpoints", endpoints);
        m.put("upgrade", d.upgrade());
        List<Map<String, Object>> instances = new ArrayList<>();
        for (InstanceView i : instances(d)) {
            Map<String, Object> im = new LinkedHashMap<>();
            im.put("id", i.id());
            im.put("role", i.role());
            im.put("state", i.status());
            im.put("since", i.statusSince() == null ? null : i.statusSince().toString());
            im.put("updateDomain", i.upgradeDomain());
            im.put("faultDomain", i.faultDomain());
            im.put("inRotation", i.inRotation());
            im.put("address", i.address());
            im.put("details", i.stateDetails());
            im.put("errorCode", i.errorCode());
            List<Map<String, Object>> lb = new ArrayList<>();
            for (BackendView b : i.loadBalancer()) {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("endpoint", b.endpoint());
                bm.put("inRotation", b.inRotation());
                bm.put("ejected", b.ejected());
                bm.put("connections", b.connections());
                bm.put("active", b.active());
                bm.put("connectFailures", b.connectFailures());
                bm.put("resets", b.resets());
                bm.put("redispatched", b.redispatched());
                bm.put("ejections", b.ejections());
                lb.add(bm);
            }
            im.put("loadBalancer", lb);
            instances.add(im);
        }
        m.put("instances", instances);
        return m;
    }

    public static String event(EventView e, Map<String, String> deploymentNames) {
        String dep = e.deploymentId() == null ? "-" : deploymentNames.getOrDefault(e.deploymentId(), e.deploymentId());
        String what = e.from() != null || e.to() != null ? e.from() + " -> " + e.to() : e.type();
        return e.time() + "  " + dep + "  " + (e.instanceId() == null ? "-" : e.instanceId()) + "  " + what
                + (e.message() == null || e.message().isBlank() ? "" : "  " + e.message());
    }

    public static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    public static String oneLine(String s, int max) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= max ? one : one.substring(0, max - 3) + "...";
    }

    public static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Left-aligned columns, two spaces apart; the last column is not padded. */
    public static List<String> table(List<String[]> rows) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                b.append(c == r.length - 1 ? r[c] : pad(r[c], width[c]) + "  ");
            }
            out.add(b.toString().stripTrailing());
        }
        return out;
    }
}
