package org.csemu.fabric;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.csemu.fabric.deployment.HealingPolicy;
import org.csemu.fabric.instance.InstancePlan;

/**
 * How a {@link Fabric} runs. Everything has a default except the data directory.
 *
 * @param dataDir         desired state, event logs, network allocations, the image repository (unless
 *                        {@code imageRepository} is set) and every instance's disks; must be traversable by the
 *                        {@code libvirt-qemu} user (e.g. under {@code /var/lib})
 * @param libvirtUris     one URI per fault domain; today the first one runs every instance (qemu:///system)
 * @param vipAddress      the loopback address the input endpoints listen on
 * @param concurrency     at most this many substrate calls (boots, stops) at once
 * @param healing         heartbeat, grace, back-off and drain settings of the controller
 * @param baseImageDir    a base image built by samples/images/build-base-image.sh (its image cache layout),
 *                        registered as {@code defaultImage} at start when the repository has no image of that name;
 *                        null to skip
 * @param defaultImage    the image of roles whose configuration names none ({@code OsImage@href})
 * @param imageRepository where images are stored; null: {@code <dataDir>/images}
 * @param instanceTimeouts hello / ready / graceful-stop deadlines of a guest
 */
public record FabricConfig(Path dataDir, List<String> libvirtUris, String vipAddress, int concurrency,
                           HealingPolicy healing, Path baseImageDir, String defaultImage, Path imageRepository,
                           int vcpus, int memoryMiB, int heartbeatSeconds, InstancePlan.Timeouts instanceTimeouts) {

    public static final String DEFAULT_IMAGE = "csemu-base";
    public static final Path DEFAULT_BASE_IMAGE_DIR = Path.of("/var/lib/csemu/image-cache/csemu-base-latest");

    public FabricConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        dataDir = dataDir.toAbsolutePath().normalize();
        libvirtUris = List.copyOf(libvirtUris);
        if (libvirtUris.isEmpty()) {
            throw new IllegalArgumentException("at least one libvirt URI is needed (e.g. qemu:///system)");
        }
        Objects.requireNonNull(vipAddress, "vipAddress");
        if (!vipAddress.startsWith("127.")) {
            throw new IllegalArgumentException("the VIP address " + vipAddress + " is not a loopback address; csemu"
                    + " binds 127.0.0.0/8 only");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        Objects.requireNonNull(healing, "healing");
        Objects.requireNonNull(defaultImage, "defaultImage");
        Objects.requireNonNull(instanceTimeouts, "instanceTimeouts");
    }

    public static FabricConfig defaults(Path dataDir) {
        return new FabricConfig(dataDir, List.of("qemu:///system"), "127.0.0.1", 4, HealingPolicy.defaults(),
                DEFAULT_BASE_IMAGE_DIR, DEFAULT_IMAGE, null, 1, 128, 2, InstancePlan.Timeouts.defaults());
    }

    public Path imageRepositoryDir() {
        return imageRepository != null ? imageRepository : dataDir.resolve("images");
    }

    public FabricConfig withImageRepository(Path dir) {
        return new FabricConfig(dataDir, libvirtUris, vipAddress, concurrency, healing, baseImageDir, defaultImage, dir,
                vcpus, memoryMiB, heartbeatSeconds, instanceTimeouts);
    }

    public FabricConfig withHealing(HealingPolicy policy) {
        return new FabricConfig(dataDir, libvirtUris, vipAddress, concurrency, policy.withConcurrency(concurrency),
                baseImageDir, defaultImage, imageRepository, vcpus, memoryMiB, heartbeatSeconds, instanceTimeouts);
    }

    public FabricConfig withConcurrency(int n) {
        return new FabricConfig(dataDir, libvirtUris, vipAddress, n, healing.withConcurrency(n), baseImageDir,
                defaultImage, imageRepository, vcpus, memoryMiB, heartbeatSeconds, instanceTimeouts);
    }

    public FabricConfig withBaseImageDir(Path dir) {
        return new FabricConfig(dataDir, libvirtUris, vipAddress, concurrency, healing, dir, defaultImage,
                imageRepository, vcpus, memoryMiB, heartbeatSeconds, instanceTimeouts);
    }

    public FabricConfig withLibvirtUris(List<String> uris) {
        return new FabricConfig(dataDir, uris, vipAddress, concurrency, healing, baseImageDir, defaultImage,
                imageRepository, vcpus, memoryMiB, heartbeatSeconds, instanceTimeouts);
    }

    /** The graceful stop deadline of a guest (the agent's poweroff), after which it is destroyed. */
    public Duration gracefulStop() {
        return instanceTimeouts.gracefulStop();
    }
}
