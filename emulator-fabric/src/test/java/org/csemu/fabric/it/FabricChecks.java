package org.csemu.fabric.it;

import java.io.IOException;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.csemu.fabric.testing.VmTestEnvironment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.deployment.DeploymentSnapshot;
import org.csemu.fabric.deployment.InstanceSnapshot;
import org.csemu.fabric.lifecycle.InstanceState;
import org.csemu.fabric.lifecycle.LifecycleEvent;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.readiness.InstancesReady.Instance;
import org.csemu.fabric.readiness.InstancesReady.Snapshot;
import org.csemu.fabric.readiness.InstancesReady;
import org.csemu.fabric.readiness.Ready.Status;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;

/** Small helpers of the fabric VM tests: waiting on states, HTTP over a fresh connection, event sequences. */
final class FabricChecks {
    /** TCG boots share two cores with other work: generous, but bounded. */
    static final Duration BOOT = VmTestEnvironment.BOOT;

    private FabricChecks() {
    }

    static DeploymentSnapshot awaitAllReady(Fabric fabric, String deploymentId, Duration budget) throws Exception {
        DeploymentSnapshot[] last = {null};
        Status s = InstancesReady.of(() -> {
            last[0] = fabric.deployment(deploymentId).orElseThrow();
            return Snapshot.all(last[0].instances().stream()
                    .map(i -> new Instance(i.ref().instanceId(), i.state())).toList());
        }).await(Deadline.after(budget), Poller.standard());
        if (!s.isReady()) {
            throw new AssertionError("not every instance of " + deploymentId + " ReadyRole within " + budget + ": "
                    + s.detail() + "\n" + describe(fabric, deploymentId));
        }
        return last[0];
    }

    static void awaitState(Fabric fabric, String deploymentId, String instanceId, InstanceState state, Duration budget)
            throws Exception {
        try {
            Poller.standard().until(instanceId + " " + state.cloudName(), Deadline.after(budget),
                    () -> fabric.controller().state(deploymentId, instanceId).orElse(null) == state);
        } catch (TimeoutException e) {
            throw new AssertionError(e.getMessage() + "; now " + fabric.deployment(deploymentId)
                    .map(v -> v.instances().stream().map(i -> i.ref().instanceId() + "=" + i.state().cloudName()
                            + " (" + i.stateDetails() + ")").toList()).orElse(List.of()), e);
        }
    }

    /** The states an instance entered, in order, since {@code fromIndex} of the deployment's event log. */
    static List<String> states(Fabric fabric, String deploymentId, String instanceId, int fromIndex) {
        List<LifecycleEvent> all = fabric.events(deploymentId);
        return all.subList(Math.min(fromIndex, all.size()), all.size()).stream()
                .filter(e -> instanceId.equals(e.instanceId())).map(LifecycleEvent::to).toList();
    }

    static String describe(Fabric fabric, String deploymentId) {
        return fabric.deployment(deploymentId).map(v -> v.instances().stream().map(InstanceSnapshot::toString).toList()
                .toString()).orElse("no deployment") + "\nevents: " + fabric.events(deploymentId).stream()
                .map(e -> e.instanceId() + " " + e.from() + "->" + e.to() + " (" + e.trigger() + ": " + e.cause() + ")")
                .toList();
    }

    /** GET over a new TCP connection (so the VIP's 5-tuple distribution sees a new flow each time). */
    static String get(String host, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(15000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.") || !response.substring(9, 12).equals("200")) {
                throw new IOException("GET " + path + " on " + host + ":" + port + " answered "
                        + response.lines().findFirst().orElse("nothing"));
            }
            return body < 0 ? "" : response.substring(body + 4);
        }
    }

    /** A command in the guest through the agent (as root when {@code elevated}): its output lines; it must exit 0. */
    static List<String> exec(Fabric fabric, InstanceRef ref, boolean elevated, String command) throws Exception {
        List<String> lines = new ArrayList<>();
        int exit = fabric.runtime().exec(ref, command, elevated, new byte[0], line -> {
            synchronized (lines) {
                lines.add(line);
            }
        }).get(60, TimeUnit.SECONDS);
        org.assertj.core.api.Assertions.assertThat(exit).as(command + ": " + lines).isZero();
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** A copy of a directory tree (a sample to change for one test), file modes kept. */
    static Path copyTree(Path from, Path to) throws IOException {
        try (var walk = java.nio.file.Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (java.nio.file.Files.isDirectory(p)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }
}
