package org.csemu.fabric.instance;

import org.csemu.core.model.RoleKind;
import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.disk.QemuImg;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageSource;
import org.csemu.fabric.lifecycle.DiskPolicy;
import org.csemu.fabric.lifecycle.DiskPolicy.BootReason;
import org.csemu.fabric.spi.DomainInfo;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.InstanceSpec;
import org.csemu.fabric.spi.LocalResource;
import org.csemu.fabric.spi.RuntimeEvent;
import org.csemu.fabric.spi.ShutdownMode;
import org.csemu.fabric.runtime.VmInstanceRuntime;
import org.csemu.fabric.testing.RuntimeEventLog;
import org.csemu.fabric.testing.TestPlans;
import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.util.ProcessRunner;
import org.csemu.testing.VmTest;
import org.csemu.fabric.vm.DomainNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import org.csemu.core.util.Sha256;

/**
 * Boots real QEMU guests of the sample base image through libvirt (TCG) on the daemon's own runtime
 * ({@link VmInstanceRuntime}, driven here without the controller) and checks what the fabric relies on: the boot
 * sequence to Ready, loopback forwards, overlay isolation, failures reported as events, and the disk primitives
 * (a recycle keeps the overlay, a reimage discards it, local storage survives both), then adoption by a new runtime.
 */
@VmTest
class InstanceBootVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    private static final Duration SETTLE = Duration.ofSeconds(240);

    private final RuntimeEventLog events = new RuntimeEventLog();
    private VmInstanceRuntime runtime;
    private final List<InstanceRef> booted = new ArrayList<>();

    @BeforeEach
    void openRuntime() {
        runtime = runtime(Duration.ofSeconds(30));
    }

    @AfterEach
    void deleteInstances() {
        for (InstanceRef ref : booted) {
            runtime.delete(ref);
        }
        runtime.close();
    }

    private VmInstanceRuntime runtime(Duration gracefulStop) {
        VmInstanceRuntime r = new VmInstanceRuntime(ENV.hypervisor(), ENV.dataDir(), ENV.dataDirId(), gracefulStop);
        r.subscribe(events);
        return r;
    }

    @Test
    void threeInstancesBootInParallelToReadyServeHttpAndKeepTheirWritesInTheirOwnOverlay() throws Exception {
        Image image = ENV.image();
        String baseShaBefore = Sha256.ofFile(image.disk());
        List<InstanceSpec> specs = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String marker = "csemu-marker-" + i + "-" + UUID.randomUUID();
            markers.add(marker);
            ConfigDriveInput.Task writeMarker = TestPlans.simpleTask(
                    "printf '%s\\n' \"$MARKER\" > /root/marker.txt && sync && echo wrote-marker", Map.of("MARKER", marker));
            specs.add(spec(TestPlans.webInstance(ENV, image, "WebRole_IN_" + i, "site-of-" + marker,
                    List.of(writeMarker), List.of(), TestPlans.timeouts(90, 200)), 0, List.of()));
        }
        int mark = events.mark();
        bootInParallel(specs, BootReason.CREATE);
        for (InstanceSpec spec : specs) {
            events.awaitReady(spec.ref(), mark, SETTLE);
        }

        // the documented sequence, in order: hello(first boot) -> setup restart -> hello -> Ready
        assertThat(events.milestones(specs.get(0).ref(), mark)).containsSubsequence(
                "hello firstBoot=true", "setup restart", "hello firstBoot=false", "status READY");

        // each instance's site through its own loopback forward
        for (int i = 0; i < 3; i++) {
            InstancePlan plan = specs.get(i).plan();
            String body = httpGet("http://" + plan.hostAddress() + ":" + plan.endpoints().get(0).hostPort() + "/");
            assertThat(body).contains("site-of-" + markers.get(i));
        }

        for (InstanceSpec spec : specs) {
            runtime.shutdown(spec.ref(), ShutdownMode.GRACEFUL);
            assertThat(power(spec.ref())).isEqualTo(DomainInfo.Power.SHUT_OFF);
        }
        // each marker is in its own overlay only, and never in the base
        for (int i = 0; i < 3; i++) {
            Path overlay = runtime.paths(specs.get(i).ref()).osDisk();
            assertThat(readGuestFile(overlay, "/root/marker.txt")).isEqualTo(markers.get(i) + "\n");
            byte[] bytes = Files.readAllBytes(overlay);
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    assertThat(contains(bytes, markers.get(j))).as("overlay %d holds marker %d", i, j).isFalse();
                }
            }
        }
        assertThat(readGuestFile(image.disk(), "/root/marker.txt")).isNull();
        assertThat(Sha256.ofFile(image.disk())).isEqualTo(baseShaBefore);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(image.disk()))).isEqualTo("r--r--r--");
    }

    @Test
    void aFailingStartupTaskASilentGuestAndAKilledQemuAreReportedNotWaitedOn() throws Exception {
        Image image = ENV.image();
        // a guest that boots and runs, but never speaks: init is cat on the console (an init that exits would
        // panic the kernel, which the image's pvpanic device reports as a crash, not as silence)
        Image silent = ENV.images().add(new ImageSource("csemu-base-no-agent", image.disk(), image.diskFormat(),
                image.kernel(), image.initrd(), image.cmdline() + " init=/bin/cat"));
        try {
            runtime.close();
            Duration gracefulStop = Duration.ofSeconds(5);
            runtime = runtime(gracefulStop);
            ConfigDriveInput.Task failing = TestPlans.simpleTask("echo boom-from-task; exit 7", Map.of());
            InstanceSpec failingVm = spec(TestPlans.webInstance(ENV, image, "WebRole_IN_0", "x", List.of(failing),
                    List.of(), TestPlans.timeouts(90, 200)), 0, List.of());
            InstanceSpec silentVm = spec(TestPlans.webInstance(ENV, silent, "WebRole_IN_1", "y", List.of(), List.of(),
                    TestPlans.timeouts(20, 200)), 0, List.of());
            int mark = events.mark();
            bootInParallel(List.of(failingVm, silentVm), BootReason.CREATE);

            RuntimeEvent failed = events.await(failingVm.ref(), mark, "the failed task", SETTLE,
                    e -> e instanceof RuntimeEvent.TaskFailed || e instanceof RuntimeEvent.Status);
            assertThat(failed).isInstanceOfSatisfying(RuntimeEvent.TaskFailed.class, t -> {
                assertThat(t.exitCode()).isEqualTo(7);
                assertThat(t.taskIndex()).isZero();
                assertThat(t.outputTail()).contains("boom-from-task");
            });
            assertThat(events.milestones(failingVm.ref(), mark)).doesNotContain("status READY");

            // the failing guest said hello long ago; the silent one, running all along, never does
            assertThat(events.milestones(failingVm.ref(), mark)).contains("hello firstBoot=false");
            assertThat(power(silentVm.ref())).isEqualTo(DomainInfo.Power.RUNNING);
            assertThat(events.since(silentVm.ref(), mark)).isEmpty();
            // a guest that does not answer `stopping` is destroyed after the graceful deadline
            runtime.shutdown(silentVm.ref(), ShutdownMode.GRACEFUL);
            assertThat(power(silentVm.ref())).isEqualTo(DomainInfo.Power.SHUT_OFF);
            assertThat(events.since(silentVm.ref(), mark)).as("a stop the runtime made is not a crash").isEmpty();

            // the host forward is live in QEMU's user-mode network (monitor command through libvirt)
            InstancePlan plan = failingVm.plan();
            assertThat(ENV.hypervisor().monitorCommand(plan.domainName(), "info usernet"))
                    .contains(plan.hostAddress()).contains(Integer.toString(plan.endpoints().get(0).hostPort()));

            // QEMU killed under the guest (the kill-qemu fault): a lifecycle event reports the crash at once
            int beforeKill = events.mark();
            runtime.faults().killProcess(failingVm.ref());
            events.await(failingVm.ref(), beforeKill, "the crash", Duration.ofSeconds(20),
                    e -> e instanceof RuntimeEvent.Crashed);
        } finally {
            for (InstanceRef ref : List.copyOf(booted)) {
                runtime.delete(ref);
            }
            booted.clear();
            ENV.images().remove("csemu-base-no-agent");
        }
    }

    @Test
    void aRecycleKeepsTheOverlayAReimageDiscardsItLocalStorageSurvivesBothAndANewRuntimeAdoptsTheGuest()
            throws Exception {
        Image image = ENV.image();
        String baseShaBefore = Sha256.ofFile(image.disk());
        // records what survived from earlier boots in local storage, then leaves a token in the overlay and there
        String script = "o=none; [ -f /root/overlay-token ] && o=$(cat /root/overlay-token); "
                + "l=none; [ -f /csemu/local/keep/token ] && l=$(cat /csemu/local/keep/token); "
                + "echo \"overlay=$o local=$l\" >> /csemu/local/keep/history; "
                + "[ -f /root/overlay-token ] || echo \"$TOKEN\" > /root/overlay-token; "
                + "[ -f /csemu/local/keep/token ] || echo \"$TOKEN\" > /csemu/local/keep/token; sync";
        String token = "tok" + UUID.randomUUID().toString().substring(0, 8);
        List<LocalResource> keep = List.of(new LocalResource("keep", 16, false));
        InstancePlan plan = TestPlans.webInstance(ENV, image, "WebRole_IN_0", "z",
                List.of(TestPlans.simpleTask(script, Map.of("TOKEN", token))),
                List.of(new ConfigDriveInput.LocalResource("keep", 16, false)), TestPlans.timeouts(90, 200));
        InstanceSpec first = spec(plan, 0, keep);
        InstanceRef ref = first.ref();
        InstancePaths paths = runtime.paths(ref);

        int mark = events.mark();
        boot(first, BootReason.CREATE);
        events.awaitReady(ref, mark, SETTLE);

        // recycle (a reboot): shut down, boot keeping every disk
        runtime.shutdown(ref, ShutdownMode.GRACEFUL);
        mark = events.mark();
        boot(first, BootReason.RECYCLE);
        events.awaitReady(ref, mark, SETTLE);
        assertThat(events.milestones(ref, mark)).contains("hello firstBoot=false").doesNotContain("hello firstBoot=true");

        // reimage: a new overlay (generation 1) from the base; local storage kept
        runtime.shutdown(ref, ShutdownMode.GRACEFUL);
        InstanceSpec reimaged = spec(plan, 1, keep);
        mark = events.mark();
        boot(reimaged, BootReason.REIMAGE);
        events.awaitReady(ref, mark, SETTLE);
        assertThat(events.milestones(ref, mark)).containsSubsequence("hello firstBoot=true", "setup restart",
                "hello firstBoot=false", "status READY");
        assertThat(ENV.hypervisor().listCsemuDomains()).anySatisfy(d -> {
            assertThat(d.name()).isEqualTo(plan.domainName());
            assertThat(d.metadata().overlayGeneration()).isEqualTo(1);
            assertThat(d.metadata().deploymentId()).isEqualTo(ENV.deploymentId());
        });

        // a restarted daemon adopts the running guest: a new runtime lists it as this fabric's and hears it again
        runtime.close();
        runtime = runtime(Duration.ofSeconds(30));
        assertThat(runtime.list()).anySatisfy(d -> {
            assertThat(d.ref()).isEqualTo(ref);
            assertThat(d.fabricId()).isEqualTo(ENV.dataDirId());
            assertThat(d.overlayGeneration()).isEqualTo(1);
            assertThat(d.power()).isEqualTo(DomainInfo.Power.RUNNING);
        });
        mark = events.mark();
        runtime.reconnect(ref);
        events.await(ref, mark, "a heartbeat after the reconnect", Duration.ofSeconds(30),
                e -> e instanceof RuntimeEvent.Heartbeat);

        // the evidence from the guest's disks: the history of what each boot found
        runtime.shutdown(ref, ShutdownMode.GRACEFUL);
        assertThat(readGuestFile(paths.localDisk(), "/keep/history")).isEqualTo(
                "overlay=none local=none\n"
                        + "overlay=" + token + " local=" + token + "\n"
                        + "overlay=none local=" + token + "\n");
        assertThat(readGuestFile(paths.osDisk(), "/root/overlay-token")).isEqualTo(token + "\n");

        runtime.delete(ref);
        booted.remove(ref);
        assertThat(Files.exists(paths.dir())).isFalse();
        assertThat(ENV.hypervisor().state(plan.domainName())).isEmpty();
        assertThat(Sha256.ofFile(image.disk())).isEqualTo(baseShaBefore);
    }

    // ---------------------------------------------------------------------------------------------------------

    private static InstanceSpec spec(InstancePlan plan, long overlayGeneration, List<LocalResource> localStorage) {
        int index = Integer.parseInt(plan.instanceId().substring(plan.instanceId().lastIndexOf('_') + 1));
        return new InstanceSpec(new InstanceRef(plan.deploymentId(), plan.roleName(), plan.instanceId()),
                RoleKind.WEB_ROLE, index, 0, 0, overlayGeneration, 0, localStorage, null, plan);
    }

    private void boot(InstanceSpec spec, BootReason reason) {
        if (!booted.contains(spec.ref())) {
            booted.add(spec.ref());
        }
        runtime.boot(spec, DiskPolicy.plan(reason, spec.roleKind(), spec.localStorage()));
    }

    private void bootInParallel(List<InstanceSpec> specs, BootReason reason) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(specs.size());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (InstanceSpec spec : specs) {
                booted.add(spec.ref());
                futures.add(pool.submit(() -> {
                    runtime.boot(spec, DiskPolicy.plan(reason, spec.roleKind(), spec.localStorage()));
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

    private DomainInfo.Power power(InstanceRef ref) {
        return runtime.list().stream().filter(d -> d.ref().equals(ref)).findFirst().map(DomainInfo::power)
                .orElseThrow(() -> new AssertionError(DomainNames.of(ref.deploymentId(), ref.instanceId())
                        + " is not listed"));
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
}
