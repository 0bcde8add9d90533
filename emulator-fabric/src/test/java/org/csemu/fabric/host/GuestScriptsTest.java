package org.csemu.fabric.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.testing.HostRequirement.require;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.csemu.core.util.Sha256;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Runs the guest image's own test scripts from the build, so CI exercises them: the agent's host-side tests
 * (busybox sh) and the boot smoke test (a real QEMU guest through libvirt, raw virsh). Under {@code CI=true} a
 * missing busybox, libvirtd or image fails; elsewhere it skips with the reason. The image build (two builds of the
 * base image, the slowest test without a VM) and the boot are {@link VmTest}s; the agent's shell tests stay in the
 * fast loop, where they run beside the module's other classes (concurrent: they mostly wait on busybox sh, and share
 * nothing with them: their own temporary directories, no port); the default build runs every class in turn.
 */
@Execution(ExecutionMode.CONCURRENT)
class GuestScriptsTest {

    private static final Path ROOT = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize();
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    /**
     * Output to files, not pipes: a process the script leaves behind (its hang-up case's {@code sleep 60}) keeps
     * the pipes open after the script ended, and reading them to their end waited for it (a minute).
     */
    @Test
    void agentShellTestsPass(@TempDir Path tmp) throws Exception {
        require(Files.isExecutable(Path.of("/bin/busybox")), "/bin/busybox (busybox-static) is missing");
        Process p = new ProcessBuilder("/bin/busybox", "sh", ROOT.resolve("samples/images/test/agent-test.sh").toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(tmp.resolve("stdout").toFile()).redirectError(tmp.resolve("stderr").toFile()).start();
        boolean ended = p.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String stdout = Files.readString(tmp.resolve("stdout"));
        String output = stdout + Files.readString(tmp.resolve("stderr"));
        assertThat(ended).as("ended within 3 minutes: " + output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(stdout).contains("passed").doesNotContain("FAIL");
    }

    @Test
    @VmTest
    void imageBuildIsReproducible(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        require(Files.isExecutable(Path.of("/bin/busybox")) && Files.isExecutable(Path.of("/sbin/mkfs.ext4")),
                "busybox-static or e2fsprogs is missing");
        String script = ROOT.resolve("samples/images/build-base-image.sh").toString();
        for (String out : List.of("a", "b")) {
            CommandResult build = runner.run(Duration.ofMinutes(3), List.of("bash", script, "--out", tmp.resolve(out).toString()));
            assertThat(build.succeeded()).as(build.stderr()).isTrue();
            assertThat(build.stdout().strip()).endsWith(tmp.resolve(out).toString());
        }
        for (String file : List.of("vmlinux", "initrd.img", "rootfs.qcow2", "cmdline", "image.json")) {
            assertThat(Sha256.ofFile(tmp.resolve("a").resolve(file))).as(file)
                    .isEqualTo(Sha256.ofFile(tmp.resolve("b").resolve(file)));
        }
        assertThat(GuestImageManifest.read(tmp.resolve("a")).verify()).isEmpty();
    }

    @Test
    @VmTest
    void baseImageBootsToReadyWithRawVirsh() {
        HostContext host = HostContext.system(System.getenv());
        require(new LibvirtdCheck().run(host).status() == CheckStatus.OK, "libvirtd does not answer on qemu:///system");
        require(new GuestImageCheck().run(host).status() == CheckStatus.OK, "no intact guest image in " + host.imageCache());
        CommandResult result = runner.run(Duration.ofMinutes(4),
                List.of("bash", ROOT.resolve("samples/images/smoke-test.sh").toString()));
        assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
        assertThat(result.stdout()).contains("\"firstBoot\":true", "\"restart\":true", "\"firstBoot\":false",
                "\"status\":\"Ready\"", "smoke-test: OK");
    }
}
