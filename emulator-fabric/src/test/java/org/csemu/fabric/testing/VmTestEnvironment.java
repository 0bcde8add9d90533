package org.csemu.fabric.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.csemu.core.util.FileTrees;
import org.csemu.core.util.Sha256;
import org.csemu.fabric.Fabric;
import org.csemu.fabric.FabricConfig;
import org.csemu.fabric.deployment.HealingPolicy;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.persist.Json;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.vm.LibvirtHypervisor;
import org.csemu.testing.HostRequirement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one JUnit extension for tests that boot real guests, whether through a whole {@link Fabric} ({@link #start})
 * or through the runtime alone (a {@link #dataDirId} as fabric id, a fresh {@link #deploymentId} per test, the base
 * image registered in a repository of the class: {@link #image}). One data directory per test class under
 * {@code /var/lib/csemu/test-fabric-*} (traversable by libvirt-qemu), one libvirt connection for the JVM, and cleanup
 * after each test (the domains of its deployment id), after the class and in a shutdown hook: every domain whose
 * metadata names this data directory (its fabric's id, or {@link #dataDirId}) is destroyed and undefined, the
 * directory deleted. It also checks that the base image (the image cache's disk and the repository's copy) has the
 * same SHA-256 after the class as before. Under {@code CI=true} a missing libvirt or guest image fails the class
 * ({@link #requireOrSkip}); locally it is skipped with a message.
 */
public final class VmTestEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {
    public static final String IMAGE_DIR_PROPERTY = "csemu.test.imageDir";
    public static final Path DEFAULT_IMAGE_DIR = Path.of("/var/lib/csemu/image-cache/csemu-base-latest");
    private final List<Fabric> fabrics = new ArrayList<>();
    private Path dataDir;
    private Path imageDir;
    private String baseShaBefore;
    private Thread hook;
    private LibvirtHypervisor hypervisor;
    private ImageRepository images;
    private Image image;
    private String deploymentId;
    /**
     * One libvirt connection for every fabric test class of the JVM, never closed: libvirt-java 0.5.4 cannot remove a
     * reboot listener, and closing a connection while the event loop still delivers events for it has aborted the
     * JVM (SIGABRT) in a later test. Fabrics under test share it ({@link Fabric#start(FabricConfig,
     * org.csemu.fabric.vm.Hypervisor)}).
     */
    private static LibvirtHypervisor shared;

    private static synchronized LibvirtHypervisor sharedHypervisor() throws Exception {
        if (shared == null) {
            shared = new LibvirtHypervisor(libvirtUri());
        }
        return shared;
    }

    /** Fails under CI, skips otherwise ({@link HostRequirement}). */
    public static void requireOrSkip(boolean condition, String message) {
        HostRequirement.require(condition, message);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        imageDir = Path.of(System.getProperty(IMAGE_DIR_PROPERTY, DEFAULT_IMAGE_DIR.toString()));
        if (Files.exists(imageDir)) {
            // csemu-base-latest is a symlink a rebuild moves: pin the image this class started with
            imageDir = imageDir.toRealPath();
        }
        requireOrSkip(Files.isRegularFile(imageDir.resolve("image.json")),
                "no guest base image at " + imageDir + " (build it with samples/images/build-base-image.sh)");
        try {
            // one connection for the whole class (cleanup included): opening and closing connections while
            // another one receives events is avoided
            hypervisor = sharedHypervisor();
            hypervisor.listCsemuDomains();
        } catch (Exception e) {
            requireOrSkip(false, "libvirt is not reachable: " + e.getMessage());
        }
        baseShaBefore = Sha256.ofFile(baseDisk());
        dataDir = Files.createDirectories(Path.of("/var/lib/csemu")
                .resolve("test-fabric-" + UUID.randomUUID().toString().substring(0, 8)));
        hook = new Thread(this::cleanup, "csemu-vm-test-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        deploymentId = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** Domains of the test's deployment id go with the test (a runtime test that failed half-way). */
    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        String prefix = DomainNames.deploymentPrefix(deploymentId);
        for (CsemuDomain domain : hypervisor.listCsemuDomains()) {
            if (domain.name().startsWith(prefix)) {
                hypervisor.destroy(domain.name());
                hypervisor.undefine(domain.name());
            }
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        String repoSha = null;
        Path repoDisk = image == null ? null : image.disk();
        for (Fabric f : fabrics) {
            repoDisk = f.images().inspect(FabricConfig.DEFAULT_IMAGE).map(i -> i.disk()).orElse(repoDisk);
        }
        if (repoDisk != null && Files.exists(repoDisk)) {
            repoSha = Sha256.ofFile(repoDisk);
        }
        cleanup();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        assertThat(Sha256.ofFile(baseDisk())).as("base image in the image cache unchanged").isEqualTo(baseShaBefore);
        if (repoSha != null) {
            assertThat(repoSha).as("the repository's copy of the base image unchanged").isEqualTo(baseShaBefore);
        }
    }

    /** The class's libvirt connection (for checks and cleanup). */
    public LibvirtHypervisor hypervisor() {
        return hypervisor;
    }

    /** The base image directory this class uses (the cache's symlink resolved at the start). */
    public Path imageDir() {
        return imageDir;
    }

    /** The class's data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /** The fabric id a runtime test writes into its domains' metadata (cleanup finds them by it). */
    public String dataDirId() {
        return dataDir.getFileName().toString();
    }

    /** A fresh deployment id per test: every domain a runtime test creates is named after it. */
    public String deploymentId() {
        return deploymentId;
    }

    /** The class's image repository (under the data directory), for tests that drive the runtime directly. */
    public synchronized ImageRepository images() throws Exception {
        if (images == null) {
            images = new ImageRepository(dataDir.resolve("images"));
        }
        return images;
    }

    /** The base image registered in {@link #images} as {@code csemu-base}. */
    public synchronized Image image() throws Exception {
        if (image == null) {
            image = images().addFromDirectory(imageDir, "csemu-base");
        }
        return image;
    }

    /** The boot budget of VM tests: a TCG boot with its setup restart on a busy two-core host. */
    public static final Duration BOOT = Duration.ofSeconds(300);

    /**
     * Defaults for tests: a heartbeat timeout of 60 s, generous boot deadlines (a TCG boot on a busy two-core host
     * can take minutes before the agent's first message: that is a slow boot, not a hung guest).
     */
    public FabricConfig config() {
        HealingPolicy h = HealingPolicy.defaults();
        return FabricConfig.defaults(dataDir).withLibvirtUris(List.of(libvirtUri())).withBaseImageDir(imageDir)
                .withHealing(new HealingPolicy(Duration.ofSeconds(60), h.unresponsiveGrace(), Duration.ofSeconds(2),
                        h.backoffMax(), Duration.ofSeconds(5), h.concurrency())
                        .withBootTimeout(BOOT));
    }

    /** Start a fabric on the class's data directory; closed (guests left running) after the class. */
    public Fabric start() throws Exception {
        return start(config());
    }

    /** Start a fabric with another configuration (a shorter heartbeat timeout, say) on the class's data directory. */
    public Fabric start(FabricConfig config) throws Exception {
        Fabric f = Fabric.start(config, hypervisor);
        fabrics.add(f);
        return f;
    }

    /** Forget a fabric the test closed itself. */
    public void closed(Fabric f) {
        fabrics.remove(f);
    }

    public Path baseDisk() throws IOException {
        JsonNode json = Json.mapper().readTree(imageDir.resolve("image.json").toFile());
        return imageDir.resolve(json.path("disk").asText());
    }

    public static String libvirtUri() {
        return System.getProperty("csemu.test.libvirtUri", "qemu:///system");
    }

    private synchronized void cleanup() {
        // the fabrics stop listening first (the shared connection stays open), so nothing heals what is destroyed
        for (Fabric f : List.copyOf(fabrics)) {
            try {
                f.close();
            } catch (RuntimeException e) {
                System.err.println("csemu fabric test cleanup: " + e.getMessage());
            }
        }
        fabrics.clear();
        if (dataDir == null) {
            return;
        }
        String fabricId = null;
        try {
            Path desired = dataDir.resolve("desired.json");
            if (Files.isRegularFile(desired)) {
                fabricId = Json.mapper().readTree(desired.toFile()).path("fabricId").asText(null);
            }
        } catch (IOException e) {
            System.err.println("csemu fabric test cleanup: " + e.getMessage());
        }
        if (hypervisor != null) {
            try {
                for (CsemuDomain d : hypervisor.listCsemuDomains()) {
                    if (d.metadata().dataDirId().equals(fabricId) || d.metadata().dataDirId().equals(dataDirId())) {
                        hypervisor.destroy(d.name());
                        hypervisor.undefine(d.name());
                    }
                }
            } catch (Exception e) {
                System.err.println("csemu fabric test cleanup: " + e.getMessage());
            }
        }
        try {
            deleteTree(dataDir);
        } catch (IOException e) {
            System.err.println("csemu fabric test cleanup: " + e.getMessage());
        }
    }

    public static void deleteTree(Path dir) throws IOException {
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
