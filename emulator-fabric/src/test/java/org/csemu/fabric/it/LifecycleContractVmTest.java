package org.csemu.fabric.it;

import org.csemu.fabric.testing.VmTestEnvironment;
import org.csemu.testing.VmTest;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.contract.ContractRunner;
import org.csemu.fabric.contract.FakeContractTarget;
import org.csemu.fabric.contract.LifecycleContract.Row;
import org.csemu.fabric.disk.QemuImg;
import org.csemu.fabric.image.ImageSource;
import org.csemu.fabric.persist.Json;
import org.csemu.fabric.util.ProcessRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle contract ({@code LifecycleContract}) on real VMs, next to the same rows on {@code FakeRuntime}: one
 * deployment of the {@code lifecycle-probe} service (a web, a worker and a VirtualMachineRole instance, booted in
 * parallel) goes through every operation; the printed table (row → real result, fake result) is the one
 * docs/lifecycle.md shows. The VirtualMachineRole runs the image {@code lifecycle-probe}, derived here from the base
 * image with the probe as an image service (an image-based role has no package to carry it).
 */
@VmTest
class LifecycleContractVmTest {

    @RegisterExtension
    static final VmTestEnvironment ENV = new VmTestEnvironment();

    @Test
    void everyRowHoldsOnRealVmsAndOnTheFake(@TempDir Path fakeDir) throws Exception {
        Path service = Path.of(LifecycleContractVmTest.class.getResource("/services/lifecycle-probe").toURI());
        Map<Row, String> fake = new ContractRunner(new FakeContractTarget(fakeDir, service)).run();

        Fabric fabric = ENV.start();
        addProbeImage(fabric, service.resolve("Worker/probe.sh"));
        long started = System.nanoTime();
        Map<Row, String> real = new ContractRunner(new VmContractTarget(fabric, service)).run();
        System.out.println("lifecycle contract on real VMs: " + Duration.ofNanos(System.nanoTime() - started)
                .toSeconds() + " s\n" + ContractRunner.table(real, fake));

        assertThat(ContractRunner.failing(real)).as("rows the real runtime fails").isEmpty();
        assertThat(ContractRunner.failing(fake)).as("rows the fake runtime fails").isEmpty();
    }

    /** The base image with the probe as the auto-start service {@code /etc/csemu/services.d/probe}. */
    private static void addProbeImage(Fabric fabric, Path probe) throws Exception {
        Path work = Files.createTempDirectory(ENV.dataDir(), "probe-image-");
        Path raw = work.resolve("rootfs.raw");
        QemuImg.convertToRaw(ENV.baseDisk(), raw);
        Path commands = work.resolve("debugfs.cmd");
        Files.writeString(commands, "cd /etc/csemu/services.d\nwrite " + probe + " probe\n"
                + "sif probe mode 0100755\nsif probe uid 0\nsif probe gid 0\n");
        ProcessRunner.Result r = ProcessRunner.run(Duration.ofSeconds(60), "debugfs", "-w", "-f", commands.toString(),
                raw.toString());
        assertThat(r.ok()).as("debugfs: " + r.stdout() + r.stderr()).isTrue();
        JsonNode image = Json.mapper().readTree(ENV.imageDir().resolve("image.json").toFile());
        fabric.images().add(new ImageSource("lifecycle-probe", raw, "raw",
                ENV.imageDir().resolve(image.path("kernel").asText()),
                ENV.imageDir().resolve(image.path("initrd").asText()), image.path("cmdline").asText()));
        Files.delete(raw);
    }
}
