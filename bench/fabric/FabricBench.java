import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InstanceOperation;
import org.csemu.fabric.deployment.OperationRecord;
import org.csemu.fabric.deployment.Slot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.CsemuDomain;

/**
 * The fabric benchmark: request -> ReadyRole for deployments of 1, 2, 4 instances and for reboot / reimage / rebuild,
 * with the guest part (StartingVM -> ReadyRole from the event log) beside it. Prints a markdown table.
 */
public class FabricBench {
    record Row(String what, int instances, double total, double guest) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        Path imageDir = Path.of(args[1]).toRealPath();
        Path dataDir = Path.of(args[2]);
        Path sample = Path.of(args[3]);
        List<Row> rows = new ArrayList<>();
        Fabric fabric = Fabric.start(FabricConfig.defaults(dataDir).withBaseImageDir(imageDir));
        try {
            for (int round = 0; round < rounds; round++) {
                for (int n : new int[] {1, 2, 4}) {
                    Path svc = Files.createDirectories(dataDir.resolve("svc-" + round + "-" + n));
                    copyTree(sample, svc);
                    Path cfg = svc.resolve("ServiceConfiguration.cscfg");
                    Files.writeString(cfg, Files.readString(cfg).replace("<Instances count=\"2\" />",
                            "<Instances count=\"" + n + "\" />"));
                    Instant t0 = Instant.now();
                    String id = fabric.createDeployment("bench-" + round + "-" + n, Slot.PRODUCTION, svc, null)
                            .deploymentId();
                    allReady(fabric, id);
                    rows.add(new Row("deploy to Ready", n, secs(t0, Instant.now()), guestPart(fabric, id, t0)));
                    if (n == 1) {
                        for (InstanceOperation op : List.of(InstanceOperation.REBOOT, InstanceOperation.REIMAGE,
                                InstanceOperation.REBUILD)) {
                            Instant s = Instant.now();
                            OperationRecord status = fabric.perform(id, op, List.of("WebRole1_IN_0"));
                            fabric.await(status.id(), Duration.ofMinutes(5));
                            allReady(fabric, id);
                            rows.add(new Row(op.name().toLowerCase(Locale.ROOT), 1, secs(s, Instant.now()),
                                    guestPart(fabric, id, s)));
                        }
                    }
                    if (n == 2) {
                        // an in-place upgrade (Auto mode) over the two upgrade domains, next to the reimage above
                        Path v2 = Files.createDirectories(dataDir.resolve("svc-" + round + "-" + n + "-v2"));
                        copyTree(svc, v2);
                        Files.writeString(v2.resolve("WebRole1/site/version.txt"), "v2\n");
                        Instant s = Instant.now();
                        OperationRecord up = fabric.upgrade(id, v2, v2.resolve("ServiceConfiguration.cscfg"),
                                org.csemu.fabric.deployment.UpgradeMode.AUTO, null).get(0);
                        fabric.await(up.id(), Duration.ofMinutes(10));
                        allReady(fabric, id);
                        rows.add(new Row("upgrade (auto), whole", n, secs(s, Instant.now()), guestPart(fabric, id, s)));
                        java.util.Map<String, Instant> marks = new java.util.HashMap<>();
                        fabric.events(id).stream().filter(e -> e.instanceId() == null
                                && up.id().equals(e.operationId()) && e.to().startsWith("UD"))
                                .forEach(e -> marks.put(e.to(), e.timestamp()));
                        for (int ud = 0; ud < 2; ud++) {
                            Instant a = marks.get("UD" + ud + ":During");
                            Instant b = marks.get("UD" + ud + ":Done");
                            if (a != null && b != null) {
                                rows.add(new Row("upgrade (auto), upgrade domain " + ud, 1, secs(a, b),
                                        guestPart(fabric, id, a, b)));
                            }
                        }
                    }
                    OperationRecord del = fabric.deleteDeployment(id);
                    fabric.await(del.id(), Duration.ofMinutes(5));
                }
            }
        } finally {
            for (CsemuDomain d : fabric.hypervisor().listCsemuDomains()) {
                if (d.metadata().dataDirId().equals(fabric.fabricId())) {
                    fabric.hypervisor().destroy(d.name());
                    fabric.hypervisor().undefine(d.name());
                }
            }
            fabric.close();
        }
        System.out.println("| case | instances | request -> all ReadyRole (s) | guest part: StartingVM -> ReadyRole, slowest (s) | fabric overhead (s) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |%n", r.what(), r.instances(), r.total(),
                    r.guest(), r.total() - r.guest());
        }
    }

    static void allReady(Fabric fabric, String id) throws Exception {
        try {
            Poller.standard().until("all ReadyRole", Deadline.after(Duration.ofMinutes(5)), () -> {
                DeploymentSnapshot v = fabric.deployment(id).orElseThrow();
                return v.instances().stream().allMatch(i -> i.state() == InstanceState.READY_ROLE);
            });
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e.getMessage() + ": " + fabric.deployment(id).orElseThrow().instances(), e);
        }
    }

    /** Per instance, the last StartingVM entered after {@code since} to the ReadyRole that followed; the slowest. */
    static double guestPart(Fabric fabric, String id, Instant since) {
        return guestPart(fabric, id, since, Instant.MAX);
    }

    /** The same over the instance events between {@code since} and {@code until} (deployment-level ones skipped). */
    static double guestPart(Fabric fabric, String id, Instant since, Instant until) {
        double worst = 0;
        List<LifecycleEvent> events = fabric.events(id).stream().filter(e -> e.instanceId() != null
                && !e.timestamp().isBefore(since) && !e.timestamp().isAfter(until)).toList();
        for (String instance : events.stream().map(LifecycleEvent::instanceId).distinct().toList()) {
            Instant started = null;
            Instant ready = null;
            for (LifecycleEvent e : events) {
                if (!e.instanceId().equals(instance)) {
                    continue;
                }
                if (e.to().equals("StartingVM") && started == null) {
                    started = e.timestamp();
                }
                if (e.to().equals("ReadyRole")) {
                    ready = e.timestamp();
                }
            }
            if (started != null && ready != null) {
                worst = Math.max(worst, secs(started, ready));
            }
        }
        return worst;
    }

    static double secs(Instant a, Instant b) {
        return Duration.between(a, b).toMillis() / 1000.0;
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (var walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
