package org.csemu.fabric.testing;

import org.csemu.fabric.image.Image;
import org.csemu.fabric.image.ImageRepository;
import org.csemu.fabric.util.FileTrees;
import org.csemu.fabric.vm.CsemuDomain;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.LibvirtHypervisor;
import org.csemu.testing.HostRequirement;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * JUnit extension for tests that boot real guests: one libvirt connection and one image repository per test class,
 * a fresh data directory and deployment id per test, and cleanup of every domain named
 * {@code csemu-<that deployment>-*} and of the data directory after each test, after the class, and in a shutdown
 * hook (so an aborted run leaves nothing behind). Under {@code CI=true} a missing libvirt or guest image fails the
 * test; locally it is skipped with a message.
 */
public final class VmTestEnvironment implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    public static final String IMAGE_DIR_PROPERTY = "csemu.test.imageDir";
    public static final Path DEFAULT_IMAGE_DIR = Path.of("/var/lib/csemu/image-cache/csemu-base-latest");

    private Hypervisor hypervisor;
    private Path classDir;
    private ImageRepository images;
    private Image image;
    private Path dataDir;
    private String deploymentId;
    private Thread shutdownHook;

    /** Fails under CI, skips otherwise ({@link HostRequirement}). */
    public static void requireOrSkip(boolean condition, String message) {
        HostRequirement.require(condition, message);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path imageDir = Path.of(System.getProperty(IMAGE_DIR_PROPERTY, DEFAULT_IMAGE_DIR.toString()));
        requireOrSkip(Files.isRegularFile(imageDir.resolve("image.json")),
                "no guest base image at " + imageDir + " (build it with samples/images/build-base-image.sh)");
        try {
            hypervisor = new LibvirtHypervisor(System.getProperty("csemu.test.libvirtUri", "qemu:///system"));
        } catch (Exception e) {
            requireOrSkip(false, "libvirt is not reachable: " + e.getMessage());
        }
        classDir = Files.createDirectories(Path.of("/var/lib/csemu")).resolve("test-" + shortId());
        Files.createDirectories(classDir);
        shutdownHook = new Thread(this::cleanupQuietly, "csemu-test-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        images = new ImageRepository(classDir.resolve("images"));
        image = images.addFromDirectory(imageDir, "csemu-base");
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        deploymentId = "t" + shortId();
        dataDir = Files.createDirectories(classDir.resolve(deploymentId));
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        removeDeployment(deploymentId);
        deleteTree(dataDir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        cleanupQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        if (hypervisor != null) {
            hypervisor.close();
        }
    }

    public Hypervisor hypervisor() {
        return hypervisor;
    }

    public ImageRepository images() {
        return images;
    }

    public Image image() {
        return image;
    }

    /** The data directory of the current test (under /var/lib/csemu/test-*). */
    public Path dataDir() {
        return dataDir;
    }

    /** The unique deployment id of the current test: every domain it creates is named after it. */
    public String deploymentId() {
        return deploymentId;
    }

    private void removeDeployment(String deployment) throws Exception {
        if (hypervisor == null || deployment == null) {
            return;
        }
        String prefix = DomainNames.deploymentPrefix(deployment);
        for (CsemuDomain domain : hypervisor.listCsemuDomains()) {
            if (domain.name().startsWith(prefix)) {
                hypervisor.destroy(domain.name());
                hypervisor.undefine(domain.name());
            }
        }
    }

    private synchronized void cleanupQuietly() {
        try {
            if (hypervisor != null && classDir != null) {
                for (CsemuDomain domain : hypervisor.listCsemuDomains()) {
                    // every test deployment of this class lives in classDir; its id is in the domain name
                    if (Files.isDirectory(classDir.resolve(domain.metadata().deploymentId()))
                            || domain.metadata().dataDirId().equals(classDir.getFileName().toString())) {
                        hypervisor.destroy(domain.name());
                        hypervisor.undefine(domain.name());
                    }
                }
            }
        } catch (Exception e) {
            System.err.println("csemu test cleanup: " + e.getMessage());
        }
        try {
            deleteTree(classDir);
        } catch (IOException e) {
            System.err.println("csemu test cleanup: " + e.getMessage());
        }
    }

    /** The id written into domain metadata as the data directory id. */
    public String dataDirId() {
        return classDir.getFileName().toString();
    }

    static String shortId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public static void deleteTree(Path dir) throws IOException {
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }
}
