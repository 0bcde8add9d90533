package org.csemu.fabric.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.csemu.testing.HostRequirement.require;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.csemu.core.util.Sha256;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;

/**
 * Runs the guest image's own test scripts from the build, so CI exercises them: the agent's host-side tests
 * (busybox sh) and the boot smoke test (a real QEMU guest through libvirt, raw virsh). Under {@code CI=true} a
 * missing busybox, libvirtd or image fails; elsewhere it skips with the reason. The image build (two builds of the
 * base image, the slowest test without a VM) and the boot are {@link VmTest}s; the agent's shell tests stay in the
 * fast loop.
 */
class GuestScriptsTest {

    private static final Path ROOT = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize();
    private final ProcessCommandRunner runner = new ProcessCommandRunner();

    @Test
    void agentShellTestsPass() {
        require(Files.isExecutable(Path.of("/bin/busybox")), "/bin/busybox (busybox-static) is missing");
        CommandResult result = runner.run(Duration.ofMinutes(3),
                List.of("/bin/busybox", "sh", ROOT.resolve("samples/images/test/agent-test.sh").toString()));
        assertThat(result.succeeded()).as(result.stdout() + result.stderr()).isTrue();
        assertThat(result.stdout()).contains("passed").doesNotContain("FAIL");
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
