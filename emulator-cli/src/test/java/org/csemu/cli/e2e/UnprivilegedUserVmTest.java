package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.csemu.cli.ExitCodes;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.HostRequirement;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * csemu without root (issue 16): each test creates unprivileged users, runs the README's main path as them through
 * the real CLI and a daemon of their own on libvirt's session daemon, and removes the users afterwards (also when it
 * fails). Evidence comes from the host: {@code /proc} for whose processes run, {@code find -user} for what was
 * written, the VIP for what answers.
 */
@VmTest
class UnprivilegedUserVmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize();
    private static final Path SAMPLES = ROOT.resolve("samples");
    private static final Set<String> BOTH = Set.of("WebRole1_IN_0", "WebRole1_IN_1");

    @BeforeAll
    static void requireVmHost() throws Exception {
        LiveDaemon.requireVmHost();
        HostRequirement.require(ProcFs.uids(ProcessHandle.current().pid())[1] == 0,
                "root, to create the test users (run the tests as root)");
    }

    /** README main path as a user: run to both instances on the VIP, reimage, remove; nothing as root, nothing outside. */
    @Test
    void readmeMainPath_asAnUnprivilegedUser() throws Exception {
        try (UnprivilegedUser user = UnprivilegedUser.create(SAMPLES)) {
            UnprivilegedUser.Result run = user.csemu("run", "csemu/samples/hello-web", "--wait-ready", "--timeout",
                    "5m", "--progress", "plain");
            assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.OK);
            assertThat(run.out()).contains("starting one").contains("hello-web is ready");
            String url = vipUrl(run.out());
            assertThat(servedBy(url)).containsExactlyInAnyOrderElementsOf(BOTH);

            UnprivilegedUser.Result daemonStatus = user.csemu("daemon", "status");
            assertThat(daemonStatus.out()).contains("user daemon of " + user.name).contains("qemu:///session")
                    .contains(user.dataDir().toString());
            assertNothingOfTheRunIsRoot(user, 2);
            Path token = user.dataDir().resolve("api.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
            assertThat(((Number) Files.getAttribute(token, "unix:uid")).longValue()).isEqualTo(user.uid);

            UnprivilegedUser.Result reimage = user.csemu("reimage", "WebRole1_IN_1");
            assertThat(reimage.code()).as(reimage.out()).isEqualTo(ExitCodes.OK);
            assertThat(servedBy(url)).containsExactlyInAnyOrderElementsOf(BOTH);

            // exec and a real guest crash in the user's daemon: the session libvirt's events heal it like root's
            UnprivilegedUser.Result who = user.csemu("exec", "WebRole1_IN_0", "--", "id -un");
            assertThat(who.code()).as(who.out()).isEqualTo(ExitCodes.OK);
            assertThat(who.out().trim()).isEqualTo("csemu");
            UnprivilegedUser.Result piped = user.csemuTyping("from the user's stdin\n", "exec", "-i",
                    "WebRole1_IN_0", "--", "cat > /tmp/piped.txt; wc -c < /tmp/piped.txt; cat /tmp/piped.txt");
            assertThat(piped.code()).as(piped.out()).isEqualTo(ExitCodes.OK);
            assertThat(piped.out().lines().map(String::trim).toList()).containsSubsequence("22",
                    "from the user's stdin");
            UnprivilegedUser.Result shell = user.csemuTyping("tty; id -un\nexit 5\n", "shell", "WebRole1_IN_0");
            assertThat(shell.code()).as(shell.out()).isEqualTo(5);
            assertThat(shell.out()).contains("/dev/hvc0\r\n").contains("csemu\r\n");
            String bootBefore = bootId(user);
            UnprivilegedUser.Result crash = user.csemu("fault", "guest-crash", "WebRole1_IN_0");
            assertThat(crash.code()).as(crash.out()).isEqualTo(ExitCodes.OK);
            assertThat(Poller.every(Duration.ofSeconds(1)).within(Deadline.after(Duration.ofMinutes(5)), () -> {
                String now = bootId(user);
                return now != null && !now.equals(bootBefore) && allReady(status(user));
            })).as("WebRole1_IN_0 crashed, was restarted by the user's fabric and is Ready again").isTrue();
            assertThat(servedBy(url)).containsExactlyInAnyOrderElementsOf(BOTH);

            UnprivilegedUser.Result remove = user.csemu("remove");
            assertThat(remove.code()).as(remove.out()).isEqualTo(ExitCodes.OK);
            assertThat(csemuDomains(user)).isEmpty();
            assertThat(user.csemu("daemon", "stop").code()).isEqualTo(ExitCodes.OK);

            List<String> outside = writtenOutside(user);
            assertThat(outside).as("files of " + user.name + " outside their home and /tmp").isEmpty();
        }
    }

    /**
     * Two users, same sample, at once: both VIPs answer, each sees only their own deployment and domains, one
     * cannot read the other's daemon; a SIGKILLed daemon's successor adopts the running guests (same QEMU
     * processes); one user's remove leaves the other's running.
     */
    @Test
    void twoUsersAtOnce_isolated_andAKilledDaemonIsAdopted() throws Exception {
        try (UnprivilegedUser alice = UnprivilegedUser.create(SAMPLES);
             UnprivilegedUser bob = UnprivilegedUser.create(SAMPLES)) {
            CompletableFuture<UnprivilegedUser.Result> bobRun = CompletableFuture.supplyAsync(() -> runSample(bob));
            UnprivilegedUser.Result aliceRun = runSample(alice);
            UnprivilegedUser.Result bobResult = bobRun.get(10, TimeUnit.MINUTES);
            assertThat(aliceRun.code()).as(aliceRun.out()).isEqualTo(ExitCodes.OK);
            assertThat(bobResult.code()).as(bobResult.out()).isEqualTo(ExitCodes.OK);
            String aliceUrl = vipUrl(aliceRun.out());
            String bobUrl = vipUrl(bobResult.out());
            assertThat(aliceUrl).isNotEqualTo(bobUrl);
            assertThat(servedBy(aliceUrl)).containsExactlyInAnyOrderElementsOf(BOTH);
            assertThat(servedBy(bobUrl)).containsExactlyInAnyOrderElementsOf(BOTH);
            assertThat(alice.daemon().orElseThrow().port()).isNotEqualTo(bob.daemon().orElseThrow().port());

            JsonNode aliceDeployments = status(alice);
            JsonNode bobDeployments = status(bob);
            assertThat(aliceDeployments).hasSize(1);
            assertThat(bobDeployments).hasSize(1);
            assertThat(aliceDeployments.get(0).get("endpoints").get(0).get("url").asText()).isEqualTo(aliceUrl);
            assertThat(bobDeployments.get(0).get("endpoints").get(0).get("url").asText()).isEqualTo(bobUrl);
            List<String> aliceDomains = csemuDomains(alice);
            List<String> bobDomains = csemuDomains(bob);
            assertThat(aliceDomains).hasSize(2).doesNotContainAnyElementsOf(bobDomains);
            assertThat(bobDomains).hasSize(2);
            assertNothingOfTheRunIsRoot(alice, 2);
            assertNothingOfTheRunIsRoot(bob, 2);
            UnprivilegedUser.Result intrusion = bob.csemu("status", "--data-dir", alice.dataDir().toString());
            assertThat(intrusion.code()).as(intrusion.out()).isNotEqualTo(ExitCodes.OK);

            long killed = alice.daemon().orElseThrow().pid();
            Set<Long> qemus = qemuPids(alice);
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            ProcessHandle.of(killed).ifPresent(p -> p.onExit().join());
            UnprivilegedUser.Result restart = alice.csemu("daemon", "start", "--timeout", "300");
            assertThat(restart.code()).as(restart.out()).isEqualTo(ExitCodes.OK);
            assertThat(alice.daemon().orElseThrow().pid()).isNotEqualTo(killed);
            assertThat(Poller.every(Duration.ofMillis(500)).within(Deadline.after(Duration.ofMinutes(2)), () -> allReady(status(alice))))
                    .as("alice's instances Ready after the restart").isTrue();
            assertThat(qemuPids(alice)).as("adopted, not restarted: the same QEMU processes").isEqualTo(qemus);
            assertThat(servedBy(aliceUrl)).containsExactlyInAnyOrderElementsOf(BOTH);

            UnprivilegedUser.Result bobRemove = bob.csemu("remove");
            assertThat(bobRemove.code()).as(bobRemove.out()).isEqualTo(ExitCodes.OK);
            assertThat(csemuDomains(bob)).isEmpty();
            assertThat(csemuDomains(alice)).containsExactlyInAnyOrderElementsOf(aliceDomains);
            assertThat(servedBy(aliceUrl)).containsExactlyInAnyOrderElementsOf(BOTH);
            assertThat(allReady(status(alice))).isTrue();

            assertThat(alice.csemu("remove").code()).isEqualTo(ExitCodes.OK);
            assertThat(csemuDomains(alice)).isEmpty();
        }
    }

    private static UnprivilegedUser.Result runSample(UnprivilegedUser user) {
        try {
            return user.csemu("run", "csemu/samples/hello-web", "--wait-ready", "--timeout", "8m", "--progress",
                    "plain");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * From /proc: the user's daemon, the session libvirtd (and its tini) and every QEMU of the user's guests run with
     * the user's uid (real, effective, saved and filesystem), and no process at all has the user's data directory
     * on its command line unless it runs as the user.
     */
    private static void assertNothingOfTheRunIsRoot(UnprivilegedUser user, int guests) throws IOException {
        long daemon = user.daemon().orElseThrow().pid();
        assertThat(ProcFs.uids(daemon)).as("daemon pid " + daemon).containsOnly(user.uid);
        Path pidFile = user.home.resolve(".cache/libvirt/libvirtd.pid");
        long libvirtd = Long.parseLong(Files.readString(pidFile).strip());
        assertThat(ProcFs.uids(libvirtd)).as("session libvirtd pid " + libvirtd).containsOnly(user.uid);
        long tini = ProcFs.parent(libvirtd).orElseThrow();
        assertThat(ProcFs.cmdline(tini)).as("the session libvirtd's parent").startsWith("/usr/bin/tini -s");
        assertThat(ProcFs.uids(tini)).containsOnly(user.uid);
        assertThat(qemuPids(user)).hasSize(guests);
        for (long qemu : qemuPids(user)) {
            assertThat(ProcFs.uids(qemu)).as("QEMU pid " + qemu).containsOnly(user.uid);
        }
        for (long pid : ProcFs.all()) {
            if (ProcFs.cmdline(pid).contains(user.dataDir().toString())) {
                long[] uids = ProcFs.uids(pid);
                if (uids != null) {
                    assertThat(uids).as("pid " + pid + ": " + ProcFs.cmdline(pid)).containsOnly(user.uid);
                }
            }
        }
    }

    /** The QEMU processes of the user's guests: command lines naming a disk in their data directory. */
    private static Set<Long> qemuPids(UnprivilegedUser user) {
        Set<Long> pids = new HashSet<>();
        for (long pid : ProcFs.all()) {
            String cmd = ProcFs.cmdline(pid);
            if (cmd.startsWith("/usr/bin/qemu-system") && cmd.contains(user.dataDir().toString())) {
                pids.add(pid);
            }
        }
        return pids;
    }

    /** The user's csemu domains, as their own session libvirt lists them. */
    private static List<String> csemuDomains(UnprivilegedUser user) throws Exception {
        Process p = new ProcessBuilder("runuser", "-u", user.name, "--", "env", "-i", "HOME=" + user.home,
                "PATH=/usr/bin:/bin", "virsh", "-c", "qemu:///session", "list", "--all", "--name")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().map(String::strip).filter(l -> l.startsWith("csemu-")).toList();
    }

    /** Every path owned by the user outside their home and /tmp ({@code find / -user}, proc and sys mounts aside). */
    private static List<String> writtenOutside(UnprivilegedUser user) throws Exception {
        // every proc and sys mount is skipped, not only /proc: a chroot elsewhere (an image build) may mount one
        Process p = new ProcessBuilder("find", "/", "(", "-fstype", "proc", "-o", "-fstype", "sysfs", "-o", "-path",
                user.home.toString(), "-o", "-path", "/tmp", ")", "-prune", "-o", "-user", user.name, "-print")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        List<String> outside = new ArrayList<>(out.lines().filter(l -> !l.isBlank()).toList());
        outside.removeIf(l -> l.startsWith("/dev/pts/")); // runuser's terminal, when there is one
        return outside;
    }

    /** The guest kernel's boot id of WebRole1_IN_0, read inside the guest with csemu exec; null while it cannot run. */
    private static String bootId(UnprivilegedUser user) throws Exception {
        UnprivilegedUser.Result r = user.csemu("exec", "WebRole1_IN_0", "--", "cat /proc/sys/kernel/random/boot_id");
        return r.code() == ExitCodes.OK ? r.out().trim() : null;
    }

    private static JsonNode status(UnprivilegedUser user) throws Exception {
        UnprivilegedUser.Result r = user.csemu("status", "--json");
        assertThat(r.code()).as(r.out()).isEqualTo(ExitCodes.OK);
        return JSON.readTree(r.out());
    }

    private static boolean allReady(JsonNode deployments) {
        JsonNode instances = deployments.get(0).get("instances");
        int ready = 0;
        for (JsonNode i : instances) {
            ready += i.get("state").asText().equals("ReadyRole") && i.get("inRotation").asBoolean() ? 1 : 0;
        }
        return instances.size() == 2 && ready == 2;
    }

    private static String vipUrl(String out) {
        return out.lines().filter(l -> l.startsWith("Http  http://127.0.0.1:")).findFirst()
                .map(l -> l.split("\\s+")[1]).orElseThrow(() -> new AssertionError("no VIP URL in\n" + out));
    }

    /** The instance ids that served {@code /instance.txt} through the VIP, asking until both answered. */
    private static Set<String> servedBy(String url) throws Exception {
        return CliLifecycleVmTest.servedBy(url, BOTH);
    }
}
