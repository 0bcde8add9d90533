package org.csemu.fabric.instance;

import org.csemu.fabric.agent.AgentMessage;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.disk.QemuImg;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageSource;
import org.csemu.fabric.testing.TestPlans;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.util.ProcessRunner;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boots real QEMU guests of the sample base image through libvirt (TCG) and checks what the fabric relies on:
 * the boot sequence to Ready, loopback forwards, overlay isolation, failures reported in time, and the lifecycle
 * primitives (reboot keeps the overlay, reimage discards it, local storage survives both).
 */
@VmTest
class InstanceBootVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final Duration SETTLE = Duration.ofSeconds(240);

    @Test
    void threeInstancesBootInParallelToReadyServeHttpAndKeepTheirWritesInTheirOwnOverlay() throws Exception {
        Image image = ENV.image();
        String baseShaBefore = sha256(image.disk());
        List<InstanceVm> vms = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                String marker = "csemu-marker-" + i + "-" + UUID.randomUUID();
                markers.add(marker);
                ConfigDriveInput.Task writeMarker = TestPlans.simpleTask(
                        "printf '%s\\n' \"$MARKER\" > /root/marker.txt && sync && echo wrote-marker", Map.of("MARKER", marker));
                InstancePlan plan = TestPlans.webInstance(ENV, image, "WebRole_IN_" + i, "site-of-" + marker,
                        List.of(writeMarker), List.of(), TestPlans.timeouts(90, 200));
                vms.add(new InstanceVm(plan, ENV.hypervisor()));
            }
            bootInParallel(vms);
            for (InstanceVm vm : vms) {
                assertThat(vm.awaitSettled(Deadline.after(SETTLE))).as(describe(vm)).isEqualTo(InstancePhase.READY);
            }

            // the documented sequence, in order: hello(first boot) -> setup restart -> hello -> task -> service -> Ready
            List<String> sequence = milestones(vms.get(0).agentMessages());
            assertThat(sequence).as(describe(vms.get(0))).containsSubsequence(
                    "hello firstBoot=true", "setup restart=true", "hello firstBoot=false", "task 0 exited 0",
                    "service started", "status Ready");

            // each instance's site through its own loopback forward
            for (int i = 0; i < 3; i++) {
                InstancePlan plan = vms.get(i).plan();
                String body = httpGet("http://" + plan.hostAddress() + ":" + plan.endpoints().get(0).hostPort() + "/");
                assertThat(body).contains("site-of-" + markers.get(i));
            }

            for (InstanceVm vm : vms) {
                vm.stop();
                assertThat(vm.phase()).isEqualTo(InstancePhase.STOPPED);
            }
            // each marker is in its own overlay only, and never in the base
            for (int i = 0; i < 3; i++) {
                Path overlay = vms.get(i).paths().osDisk();
                assertThat(readGuestFile(overlay, "/root/marker.txt")).isEqualTo(markers.get(i) + "\n");
                byte[] bytes = Files.readAllBytes(overlay);
                for (int j = 0; j < 3; j++) {
                    if (j != i) {
                        assertThat(contains(bytes, markers.get(j))).as("overlay %d holds marker %d", i, j).isFalse();
                    }
                }
            }
            assertThat(readGuestFile(image.disk(), "/root/marker.txt")).isNull();
            assertThat(sha256(image.disk())).isEqualTo(baseShaBefore);
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(image.disk()))).isEqualTo("r--r--r--");
        } finally {
            for (InstanceVm vm : vms) {
                vm.delete();
                vm.close();
            }
        }
        assertThat(sha256(image.disk())).isEqualTo(baseShaBefore);
    }

    @Test
    void aFailingStartupTaskAndASilentGuestAreReportedNotWaitedOn() throws Exception {
        Image image = ENV.image();
        // a guest that boots and runs, but never speaks: init is cat on the console (an init that exits would
        // panic the kernel, which the image's pvpanic device reports as a crash, not as silence)
        Image silent = ENV.images().add(new ImageSource("csemu-base-no-agent", image.disk(), image.diskFormat(),
                image.kernel(), image.initrd(), image.cmdline() + " init=/bin/cat"));
        ConfigDriveInput.Task failing = TestPlans.simpleTask("echo boom-from-task; exit 7", Map.of());
        InstanceVm failingVm = new InstanceVm(TestPlans.webInstance(ENV, image, "WebRole_IN_0", "x",
                List.of(failing), List.of(), TestPlans.timeouts(90, 200)), ENV.hypervisor());
        Duration helloTimeout = Duration.ofSeconds(20);
        InstanceVm silentVm = new InstanceVm(TestPlans.webInstance(ENV, silent, "WebRole_IN_1", "y",
                List.of(), List.of(), new InstancePlan.Timeouts(helloTimeout, Duration.ofSeconds(200), Duration.ofSeconds(5))),
                ENV.hypervisor());
        try {
            bootInParallel(List.of(failingVm, silentVm));
            long started = System.nanoTime();
            assertThat(silentVm.awaitSettled(Deadline.after(helloTimeout.plusSeconds(15))))
                    .as(describe(silentVm)).isEqualTo(InstancePhase.AGENT_TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(helloTimeout.plusSeconds(15));
            assertThat(silentVm.observations()).anySatisfy(o ->
                    assertThat(o.detail()).contains("did not say hello within 20 s"));
            // a guest that does not answer `stopping` is destroyed and started again after the graceful deadline
            silentVm.reboot();
            assertThat(silentVm.observations()).anySatisfy(o ->
                    assertThat(o.detail()).contains("graceful reboot did not happen within 5 s; destroying and starting again"));
            assertThat(silentVm.phase()).isEqualTo(InstancePhase.STARTING_VM);
            assertThat(ENV.hypervisor().state(silentVm.domainName())).contains(org.csemu.fabric.vm.DomainState.RUNNING);

            assertThat(failingVm.awaitSettled(Deadline.after(SETTLE))).as(describe(failingVm)).isEqualTo(InstancePhase.FAILED_TASK);
            AgentMessage.Task task = failingVm.failedTask().orElseThrow();
            assertThat(task.exitCode()).isEqualTo(7);
            assertThat(task.index()).isZero();
            assertThat(task.outputTail()).contains("boom-from-task");
            assertThat(milestones(failingVm.agentMessages())).doesNotContain("status Ready");

            // the host forward is live in QEMU's user-mode network (monitor command through libvirt)
            InstancePlan plan = failingVm.plan();
            assertThat(ENV.hypervisor().monitorCommand(failingVm.domainName(), "info usernet"))
                    .contains(plan.hostAddress()).contains(Integer.toString(plan.endpoints().get(0).hostPort()));

            // QEMU killed under the guest: a lifecycle event reports the crash, no probe timeout needed
            long pid = failingVm.qemuPid().orElseThrow();
            assertThat(ProcessHandle.of(pid).orElseThrow().info().command().orElse("")).contains("qemu");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            assertThat(failingVm.awaitPhase(p -> p == InstancePhase.CRASHED, Deadline.after(Duration.ofSeconds(20)),
                    "the crash to be reported")).isEqualTo(InstancePhase.CRASHED);
        } finally {
            for (InstanceVm vm : List.of(failingVm, silentVm)) {
                vm.delete();
                vm.close();
            }
            ENV.images().remove("csemu-base-no-agent");
        }
    }

    @Test
    void rebootKeepsTheOverlayReimageDiscardsItAndLocalStorageSurvivesBoth() throws Exception {
        Image image = ENV.image();
        String baseShaBefore = sha256(image.disk());
        // prints what survived from earlier boots, then leaves a token in the overlay and in local storage
        String script = "o=none; [ -f /root/overlay-token ] && o=$(cat /root/overlay-token); "
                + "l=none; [ -f /csemu/local/keep/token ] && l=$(cat /csemu/local/keep/token); "
                + "echo \"overlay=$o local=$l\"; "
                + "[ -f /root/overlay-token ] || echo \"$TOKEN\" > /root/overlay-token; "
                + "[ -f /csemu/local/keep/token ] || echo \"$TOKEN\" > /csemu/local/keep/token; sync";
        String token = "tok" + UUID.randomUUID().toString().substring(0, 8);
        InstanceVm vm = new InstanceVm(TestPlans.webInstance(ENV, image, "WebRole_IN_0", "z",
                List.of(TestPlans.simpleTask(script, Map.of("TOKEN", token))),
                List.of(new ConfigDriveInput.LocalResource("keep", 16, false)), TestPlans.timeouts(90, 200)),
                ENV.hypervisor());
        try {
            vm.boot();
            assertThat(vm.awaitSettled(Deadline.after(SETTLE))).as(describe(vm)).isEqualTo(InstancePhase.READY);
            assertThat(lastTaskOutput(vm)).contains("overlay=none local=none");
            String recycleBefore = vm.recycleId();

            int messagesBefore = vm.agentMessages().size();
            vm.reboot();
            vm.awaitPhase(p -> p != InstancePhase.READY && p != InstancePhase.STOPPING || p.isFailure(),
                    Deadline.after(Duration.ofSeconds(60)), "the reboot to begin");
            assertThat(vm.awaitSettled(Deadline.after(SETTLE))).as(describe(vm)).isEqualTo(InstancePhase.READY);
            List<AgentMessage> afterReboot = vm.agentMessages().subList(messagesBefore, vm.agentMessages().size());
            assertThat(milestones(afterReboot)).contains("hello firstBoot=false").doesNotContain("hello firstBoot=true");
            assertThat(lastTaskOutput(vm)).contains("overlay=" + token + " local=" + token);
            assertThat(vm.observations()).noneMatch(o -> o.detail().contains("destroying and starting again"));

            messagesBefore = vm.agentMessages().size();
            vm.reimage();
            assertThat(vm.awaitSettled(Deadline.after(SETTLE))).as(describe(vm)).isEqualTo(InstancePhase.READY);
            List<AgentMessage> afterReimage = vm.agentMessages().subList(messagesBefore, vm.agentMessages().size());
            assertThat(milestones(afterReimage)).containsSubsequence("hello firstBoot=true", "setup restart=true",
                    "hello firstBoot=false", "status Ready");
            assertThat(lastTaskOutput(vm)).contains("overlay=none local=" + token);
            assertThat(vm.recycleId()).isNotEqualTo(recycleBefore);
            assertThat(vm.overlayGeneration()).isEqualTo(1);
            assertThat(ENV.hypervisor().listCsemuDomains()).anySatisfy(d -> {
                assertThat(d.name()).isEqualTo(vm.domainName());
                assertThat(d.metadata().overlayGeneration()).isEqualTo(1);
                assertThat(d.metadata().deploymentId()).isEqualTo(ENV.deploymentId());
            });

            // a restarted daemon adopts the running guest: new objects, same domain, phase found from heartbeats
            vm.close();
            int generation = ENV.hypervisor().listCsemuDomains().stream()
                    .filter(d -> d.name().equals(vm.domainName())).findFirst().orElseThrow().metadata().overlayGeneration();
            try (InstanceVm adopted = new InstanceVm(vm.plan(), ENV.hypervisor(), generation)) {
                assertThat(adopted.adopt()).isTrue();
                assertThat(adopted.awaitPhase(p -> p == InstancePhase.READY, Deadline.after(Duration.ofSeconds(30)),
                        "the adopted instance to report Ready")).isEqualTo(InstancePhase.READY);
                assertThat(adopted.lastHeartbeat()).isPresent();
                assertThat(adopted.overlayGeneration()).isEqualTo(1);
            }
        } finally {
            vm.delete();
            vm.close();
        }
        assertThat(Files.exists(vm.paths().dir())).isFalse();
        assertThat(ENV.hypervisor().state(vm.domainName())).isEmpty();
        assertThat(sha256(image.disk())).isEqualTo(baseShaBefore);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static void bootInParallel(List<InstanceVm> vms) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(vms.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (InstanceVm vm : vms) {
                futures.add(pool.submit(() -> {
                    vm.boot();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** The agent messages reduced to comparable milestones. */
    static List<String> milestones(List<AgentMessage> messages) {
        List<String> out = new ArrayList<>();
        for (AgentMessage m : messages) {
            if (m instanceof AgentMessage.Hello h) {
                out.add("hello firstBoot=" + h.firstBoot());
            } else if (m instanceof AgentMessage.Setup s) {
                out.add("setup restart=" + s.restart());
            } else if (m instanceof AgentMessage.Task t) {
                out.add("task " + t.index() + " " + t.state() + (t.exitCode() == null ? "" : " " + t.exitCode()));
            } else if (m instanceof AgentMessage.Service s) {
                out.add("service " + s.state());
            } else if (m instanceof AgentMessage.Status s) {
                out.add("status " + s.status());
            }
        }
        return out;
    }

    private static String lastTaskOutput(InstanceVm vm) {
        List<AgentMessage> messages = vm.agentMessages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof AgentMessage.Task t && "exited".equals(t.state())) {
                return t.outputTail();
            }
        }
        return "";
    }

    private static String describe(InstanceVm vm) {
        StringBuilder out = new StringBuilder(vm.domainName()).append(" observations:\n");
        for (Observation o : vm.observations()) {
            out.append("  ").append(o.at()).append(' ').append(o.phase()).append(' ').append(o.kind()).append(": ")
                    .append(o.detail()).append('\n');
        }
        try {
            Path console = vm.paths().consoleLog();
            if (Files.exists(console)) {
                String log = Files.readString(console, StandardCharsets.ISO_8859_1);
                out.append("console tail:\n").append(log.substring(Math.max(0, log.length() - 3000)));
            }
        } catch (IOException e) {
            out.append("(console unreadable: ").append(e.getMessage()).append(")");
        }
        return out.toString();
    }

    private static String httpGet(String url) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        return Poller.standard().until("HTTP 200 from " + url, Deadline.after(Duration.ofSeconds(30)), () -> {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
        });
    }

    /** Reads a file from the ext4 file system in a disk image without mounting it; null when absent. */
    static String readGuestFile(Path image, String path) throws Exception {
        Path raw = Files.createTempFile(ENV.dataDir(), "inspect-", ".raw");
        try {
            QemuImg.convertToRaw(image, raw);
            ProcessRunner.Result result = ProcessRunner.run(Duration.ofSeconds(60), "debugfs", "-R", "cat " + path, raw.toString());
            if (result.stderr().contains("File not found") || !result.ok()) {
                return null;
            }
            return result.stdout();
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= haystack.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
