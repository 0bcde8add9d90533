// csemu VM benchmark: boot-to-Ready through the daemon's runtime (VmInstanceRuntime) against a raw `virsh create` of
// the same domain
// waiting for the same guest signal, overlay creation on small and large bases, parallel boots, QEMU RSS.
// Run through bench/vm/run.sh (it builds the classpath). Prints a Markdown report on stdout.
import org.csemu.core.model.ExecutionContext;
import org.csemu.core.model.RoleKind;
import org.csemu.core.model.TaskType;
import org.csemu.core.util.FileTrees;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.disk.ConfigDriveWriter;
import org.csemu.fabric.disk.LocalStorageDisk;
import org.csemu.fabric.disk.OverlayDisk;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.lifecycle.DiskPolicy;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.LocalResource;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.runtime.InstanceDomain;
import org.csemu.fabric.runtime.VmInstanceRuntime;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.util.ProcessRunner;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainSpec;
import org.csemu.fabric.vm.DomainXml;
import org.csemu.fabric.vm.LibvirtHypervisor;
import org.csemu.fabric.vm.PortForward;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class VmBench {

    static LibvirtHypervisor hv;
    static VmInstanceRuntime runtime;
    /** When each instance's agent first reported Ready (System.nanoTime()). */
    static final Map<InstanceRef, Long> readyAt = new ConcurrentHashMap<>();
    static Path data;
    static String dep;
    static Image image;
    static int counter;
    static boolean cleaned;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path imageDir = Path.of(args.length > 1 ? args[1] : "/var/lib/csemu/image-cache/csemu-base-latest");
        dep = "b" + UUID.randomUUID().toString().substring(0, 8);
        data = Files.createDirectories(Path.of("/var/lib/csemu/bench-" + dep));
        hv = new LibvirtHypervisor("qemu:///system");
        runtime = new VmInstanceRuntime(hv, data, "bench-" + dep, Duration.ofSeconds(20));
        runtime.subscribe(e -> {
            if (e instanceof RuntimeEvent.Status st && st.status() == RuntimeEvent.AgentStatus.READY) {
                readyAt.putIfAbsent(e.ref(), System.nanoTime());
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(VmBench::cleanup));
        try {
            image = new ImageRepository(data.resolve("images")).addFromDirectory(imageDir, "csemu-base");
            System.out.println("# csemu VM benchmark\n");
            System.out.println("- host: " + Runtime.getRuntime().availableProcessors() + " CPUs, accelerator `" + hv.virtType()
                    + "`, image " + image.shortId() + ", rounds " + rounds + ", loadavg before: "
                    + Files.readString(Path.of("/proc/loadavg")).strip());
            overlays();
            bootComparison(rounds);
            parallel();
            System.out.println("\n- loadavg after: " + Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            cleanup();
            runtime.close();
            hv.close();
        }
    }

    // ---- overlay creation ---------------------------------------------------------------------------------
    static void overlays() throws Exception {
        System.out.println("\n## Overlay creation (`qemu-img create -f qcow2 -b base` + atomic rename), 30 runs each\n");
        System.out.println("| base | virtual size | base file | median ms | p90 ms | max ms | overlay bytes |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String size : List.of("16M", "2G")) {
            Path base = data.resolve("base-" + size + ".qcow2");
            Path raw = data.resolve("base-" + size + ".raw");
            // a base with real data: 16 MiB of random bytes, the rest sparse
            ProcessRunner.run(Duration.ofSeconds(60), "qemu-img", "create", "-q", "-f", "raw", raw.toString(), size).orThrow();
            ProcessRunner.run(Duration.ofSeconds(60), "dd", "if=/dev/urandom", "of=" + raw, "bs=1M", "count=16", "conv=notrunc").orThrow();
            ProcessRunner.run(Duration.ofSeconds(120), "qemu-img", "convert", "-O", "qcow2", raw.toString(), base.toString()).orThrow();
            Files.delete(raw);
            List<Double> ms = new ArrayList<>();
            long bytes = 0;
            for (int i = 0; i < 30; i++) {
                Path overlay = data.resolve("ov-" + size + "-" + i + ".qcow2");
                long t0 = System.nanoTime();
                OverlayDisk.create(base, "qcow2", overlay);
                ms.add((System.nanoTime() - t0) / 1e6);
                bytes = Files.size(overlay);
                Files.delete(overlay);
            }
            Collections.sort(ms);
            System.out.printf("| %s | %s | %.1f MiB | %.1f | %.1f | %.1f | %d |%n", base.getFileName(), size,
                    Files.size(base) / 1048576.0, ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), bytes);
        }
    }

    // ---- boot to Ready: csemu vs raw virsh -----------------------------------------------------------------
    static void bootComparison(int rounds) throws Exception {
        System.out.println("\n## Start → Ready, one instance (fresh overlay: first boot, setup restart, second boot, Ready)\n");
        System.out.println("csemu = `VmInstanceRuntime.boot()`, the daemon's path (creates overlay, local disk, config drive;"
                + " defines; starts; agent channel)"
                + " until the agent's `status Ready`.\nraw = `virsh create` of the same domain XML with the disks made beforehand"
                + " (not timed), until the same `status Ready` line is read from the socket.\n");
        System.out.println("| round | order | csemu s | of which disks + define s | raw virsh s | ratio | QEMU RSS (csemu) MiB |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        List<Double> cs = new ArrayList<>();
        List<Double> raws = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            // alternate which path goes first so a drifting host load does not favour one of them
            double[] c;
            double rw;
            if (r % 2 == 0) {
                c = csemuBoot(1).get(0);
                rw = rawBoot();
            } else {
                rw = rawBoot();
                c = csemuBoot(1).get(0);
            }
            cs.add(c[0]);
            raws.add(rw);
            System.out.printf("| %d | %s | %.2f | %.2f | %.2f | %.2f | %.0f |%n", r + 1, r % 2 == 0 ? "csemu, raw" : "raw, csemu",
                    c[0], c[2], rw, c[0] / rw, c[1]);
        }
        Collections.sort(cs);
        Collections.sort(raws);
        double mc = cs.get(cs.size() / 2);
        double mr = raws.get(raws.size() / 2);
        System.out.printf("| **median** | | **%.2f** | | **%.2f** | **%.2f** | |%n", mc, mr, mc / mr);
    }

    static void parallel() throws Exception {
        System.out.println("\n## Instances booted in parallel through csemu (start → every instance Ready)\n");
        System.out.println("| instances | each instance s | all Ready s | QEMU RSS each MiB |");
        System.out.println("| --- | --- | --- | --- |");
        for (int n = 1; n <= 3; n++) {
            long t0 = System.nanoTime();
            List<double[]> results = csemuBoot(n);
            double all = results.stream().mapToDouble(r -> r[0]).max().orElse(0);
            StringBuilder each = new StringBuilder();
            StringBuilder rss = new StringBuilder();
            for (double[] r : results) {
                each.append(each.isEmpty() ? "" : ", ").append(String.format("%.2f", r[0]));
                rss.append(rss.isEmpty() ? "" : ", ").append(String.format("%.0f", r[1]));
            }
            System.out.printf("| %d | %s | %.2f | %s |%n", n, each, all, rss);
        }
    }

    /** Boots n instances in parallel; returns per instance {seconds to Ready, QEMU RSS MiB, seconds in boot()}. */
    static List<double[]> csemuBoot(int n) throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            specs.add(spec(plan("IN_" + (counter++))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<double[]>> futures = new ArrayList<>();
            for (InstanceSpec spec : specs) {
                futures.add(pool.submit(() -> {
                    long t0 = System.nanoTime();
                    runtime.boot(spec, DiskPolicy.plan(DiskPolicy.BootReason.CREATE, spec.roleKind(),
                            spec.localStorage()));
                    double prepared = (System.nanoTime() - t0) / 1e9;
                    Long ready = new Poller(Duration.ofMillis(20), Duration.ofMillis(200)).until(
                            spec.ref() + " Ready", Deadline.after(Duration.ofSeconds(300)),
                            () -> Optional.ofNullable(readyAt.get(spec.ref())));
                    InstanceDomain domain = new InstanceDomain(hv, data, spec.ref());
                    double rss = rssMiB(domain.qemuPid().orElse(-1));
                    return new double[] {(ready - t0) / 1e9, rss, prepared};
                }));
            }
            List<double[]> out = new ArrayList<>();
            for (Future<double[]> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdown();
            for (InstanceSpec spec : specs) {
                runtime.delete(spec.ref());
            }
        }
    }

    static InstanceSpec spec(InstancePlan plan) {
        return new InstanceSpec(new InstanceRef(plan.deploymentId(), plan.roleName(), plan.instanceId()),
                RoleKind.WEB_ROLE, 0, 0, 0, 0, 0, List.of(new LocalResource("scratch", 16, true)), null, plan);
    }

    static double rawBoot() throws Exception {
        InstancePlan plan = plan("RAW_" + (counter++));
        // the identical definition the runtime would give this instance
        InstanceDomain domain = new InstanceDomain(hv, data, new InstanceRef(dep, "WebRole", plan.instanceId()));
        DomainSpec spec = domain.definition(plan, 0);
        Files.createDirectories(domain.agentSocket().getParent());
        Files.createDirectories(plan.paths().dir());
        OverlayDisk.create(image.disk(), image.diskFormat(), plan.paths().osDisk());
        LocalStorageDisk.create(plan.paths().localDisk(), plan.localDiskSizeMiB());
        new ConfigDriveWriter().write(plan.configDrive(), plan.paths().configDrive());
        Path xml = plan.paths().dir().resolve("domain.xml");
        Files.writeString(xml, DomainXml.toXml(spec));
        long t0 = System.nanoTime();
        ProcessRunner.run(Duration.ofSeconds(60), "virsh", "-q", "-c", "qemu:///system", "create", xml.toString()).orThrow();
        try {
            SocketChannel c = new Poller(Duration.ofMillis(20), Duration.ofMillis(200)).until("raw socket",
                    Deadline.after(Duration.ofSeconds(30)), () -> {
                        if (!Files.exists(domain.agentSocket())) {
                            return Optional.empty();
                        }
                        SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
                        s.connect(UnixDomainSocketAddress.of(domain.agentSocket()));
                        return Optional.of(s);
                    });
            try (c) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains("\"type\":\"status\"") && line.contains("\"status\":\"Ready\"")) {
                        return (System.nanoTime() - t0) / 1e9;
                    }
                }
                throw new IllegalStateException("raw guest channel closed before Ready");
            }
        } finally {
            ProcessRunner.run(Duration.ofSeconds(60), "virsh", "-q", "-c", "qemu:///system", "destroy", spec.name());
        }
    }

    static InstancePlan plan(String instance) throws Exception {
        String[] addr = {"127.255.0." + (10 + counter % 200), Integer.toString(30000 + counter)};
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MARK", instance);
        ConfigDriveInput input = new ConfigDriveInput(
                new ConfigDriveInput.Identity(dep, instance, "WebRole", 0, 0, "r0", 2), instance.toLowerCase().replace('_', '-'),
                List.of(), List.of(), Map.of(), List.of(new ConfigDriveInput.LocalResource("scratch", 16, true)),
                List.of(new ConfigDriveInput.Task("echo started $MARK", TaskType.SIMPLE, ExecutionContext.ELEVATED, env)),
                ConfigDriveInput.Entry.none(), Map.of(),
                List.of(new ConfigDriveInput.SiteContent("Web", List.of(80), null)),
                "<RoleEnvironment/>".getBytes(StandardCharsets.UTF_8), null);
        return new InstancePlan(data, "bench-" + dep, dep, "WebRole", instance, image, addr[0],
                List.of(new InstancePlan.Endpoint("HttpIn", PortForward.Protocol.TCP, 80, Integer.parseInt(addr[1]), null)),
                input, 1, 128, new InstancePlan.Timeouts(Duration.ofSeconds(120), Duration.ofSeconds(300), Duration.ofSeconds(20)));
    }

    static double rssMiB(long pid) throws Exception {
        if (pid <= 0) {
            return -1;
        }
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("\\D", "")) / 1024.0;
            }
        }
        return -1;
    }

    static synchronized void cleanup() {
        if (cleaned) {
            return;
        }
        cleaned = true;
        try {
            for (CsemuDomain d : hv.listCsemuDomains()) {
                if (d.metadata().deploymentId().equals(dep)) {
                    hv.destroy(d.name());
                    hv.undefine(d.name());
                }
            }
            // raw transient domains carry the same metadata; destroy removes them
        } catch (Exception e) {
            System.err.println("cleanup: " + e.getMessage());
        }
        try {
            if (data != null) {
                FileTrees.delete(data);
            }
        } catch (Exception e) {
            System.err.println("cleanup: " + e.getMessage());
        }
    }
}
