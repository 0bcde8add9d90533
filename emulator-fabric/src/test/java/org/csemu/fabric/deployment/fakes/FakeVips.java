package org.csemu.fabric.deployment.fakes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.csemu.fabric.spi.VipSwapper;

/**
 * The VIP side of swaps on fakes: every deployment's input endpoint listeners ({@code <deployment>/<endpoint>}) and
 * the port each is on. Passed to the next controller after a restart it is a VIP process that outlived the daemon.
 * {@link #killAfterMoves(int)} makes a listener move the last thing that happens before a SIGKILL.
 */
public final class FakeVips implements VipSwapper {
    private final Map<String, Integer> ports = new TreeMap<>();
    private int nextFree = 9000;
    private int killAfter = -1;
    private int moves;

    /** A deployment's listener on a port (what binding its input endpoint did). */
    public synchronized void listen(String deploymentId, String endpoint, int port) {
        ports.put(deploymentId + "/" + endpoint, port);
    }

    public synchronized int port(String deploymentId, String endpoint) {
        return ports.get(deploymentId + "/" + endpoint);
    }

    /** The deployment whose listener of {@code endpoint} is on {@code port}, or null. */
    public synchronized String onPort(int port, String endpoint) {
        return ports.entrySet().stream().filter(e -> e.getValue() == port && e.getKey().endsWith("/" + endpoint))
                .map(e -> e.getKey().substring(0, e.getKey().indexOf('/'))).findFirst().orElse(null);
    }

    /** The daemon dies once {@code n} listeners have moved (0: before the first). */
    public synchronized void killAfterMoves(int n) {
        killAfter = n;
        moves = 0;
    }

    @Override
    public synchronized Map<String, Integer> plan(String productionId, String stagingId) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Map<String, Integer> production = of(productionId);
        Map<String, Integer> staging = of(stagingId);
        if (productionId != null && stagingId != null) {
            if (!production.keySet().equals(staging.keySet())) {
                throw new IllegalArgumentException("cannot swap: the two deployments' input endpoints differ ("
                        + production.keySet() + " vs " + staging.keySet() + ")");
            }
            production.forEach((e, p) -> {
                out.put(productionId + "/" + e, staging.get(e));
                out.put(stagingId + "/" + e, p);
            });
            return out;
        }
        String moving = productionId != null ? productionId : stagingId;
        of(moving).keySet().forEach(e -> out.put(moving + "/" + e, nextFree++));
        return out;
    }

    @Override
    public synchronized List<String> apply(Map<String, Integer> targets) {
        List<String> moved = new ArrayList<>();
        for (Map.Entry<String, Integer> t : new TreeMap<>(targets).entrySet()) {
            killIfDue();
            Integer from = ports.get(t.getKey());
            if (from == null || from.equals(t.getValue())) {
                continue;
            }
            String endpoint = t.getKey().substring(t.getKey().indexOf('/') + 1);
            ports.entrySet().stream().filter(e -> e.getValue().equals(t.getValue()) && !e.getKey().equals(t.getKey())
                    && e.getKey().endsWith("/" + endpoint)).findFirst().ifPresent(e -> e.setValue(from));
            ports.put(t.getKey(), t.getValue());
            moves++;
            moved.add(t.getKey() + ": " + from + " -> " + t.getValue());
        }
        killIfDue();
        return moved;
    }

    private void killIfDue() {
        if (moves == killAfter) {
            killAfter = -1; // the VIP outlives the daemon: the next controller's calls go through
            throw new FakeRuntime.SimulatedKill("a swap, after " + moves + " listener move(s)");
        }
    }

    private Map<String, Integer> of(String deploymentId) {
        Map<String, Integer> out = new TreeMap<>();
        if (deploymentId != null) {
            ports.forEach((k, v) -> {
                if (k.startsWith(deploymentId + "/")) {
                    out.put(k.substring(deploymentId.length() + 1), v);
                }
            });
        }
        return out;
    }
}
