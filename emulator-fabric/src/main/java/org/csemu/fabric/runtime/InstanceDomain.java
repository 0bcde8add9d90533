package org.csemu.fabric.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeoutException;
import org.csemu.core.util.FileTrees;
import org.csemu.core.util.Sha256;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.instance.InstancePlan;
import org.csemu.fabric.persist.Json;
import org.csemu.fabric.spi.InstanceRef;
import org.csemu.fabric.spi.RuntimeOperationException;
import org.csemu.fabric.util.AtomicFiles;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.fabric.vm.DomainMetadata;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.vm.DomainSpec;
import org.csemu.fabric.vm.DomainState;
import org.csemu.fabric.vm.Hypervisor;
import org.csemu.fabric.vm.HypervisorException;

/**
 * One instance's libvirt domain and files, as Nova's {@code guest.py} is for a guest: its name, its directory
 * ({@link InstancePaths}), its agent socket, its {@code instance.json}, and the libvirt calls made on it. The runtime
 * asks this handle instead of passing domain names around as strings. Cheap to create; holds no state of its own.
 */
public final class InstanceDomain {
    private static final Duration DESTROY_DEADLINE = Duration.ofSeconds(30);

    private final Hypervisor hypervisor;
    private final Path dataDir;
    private final InstanceRef ref;
    private final String name;

    public InstanceDomain(Hypervisor hypervisor, Path dataDir, InstanceRef ref) {
        this.hypervisor = hypervisor;
        this.dataDir = dataDir;
        this.ref = ref;
        this.name = DomainNames.of(ref.deploymentId(), ref.instanceId());
    }

    public InstanceRef ref() {
        return ref;
    }

    /** The libvirt domain name ({@link DomainNames#of}). */
    public String name() {
        return name;
    }

    public InstancePaths paths() {
        return new InstancePaths(dataDir, ref.deploymentId(), ref.instanceId());
    }

    /**
     * The host end of the agent channel. Not in the instance directory: a unix socket path is limited to 107 bytes
     * and {@code <data>/deployments/<32 hex>/instances/<Role>_IN_<n>/agent.sock} easily exceeds it, so sockets live in
     * {@code <data>/run/} under a hash of the instance.
     */
    public Path agentSocket() {
        return socket(".sock", "agent socket");
    }

    /** The host end of the guest's virtio console (hvc0), {@code csemu shell}'s terminal; beside the agent socket. */
    public Path terminalSocket() {
        return socket(".tty", "terminal socket");
    }

    private Path socket(String suffix, String what) {
        String hash = Sha256.ofString(ref.deploymentId() + "/" + ref.instanceId());
        Path socket = dataDir.resolve("run").resolve(hash.substring(0, 16) + suffix);
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
            throw new RuntimeOperationException("the data directory path " + dataDir + " is too long for unix sockets"
                    + " (" + what + " " + socket + " exceeds 100 bytes); use a shorter data directory");
        }
        return socket;
    }

    /** The libvirt definition of this instance from its plan: disks in its directory, forwards, agent channel. */
    public DomainSpec definition(InstancePlan p, long overlayGeneration) {
        InstancePaths paths = paths();
        return new DomainSpec(name,
                new DomainMetadata(p.dataDirId(), p.deploymentId(), p.roleName(), p.instanceId(),
                        (int) overlayGeneration),
                hypervisor.virtType(), p.vcpus(), p.memoryMiB(),
                new DomainSpec.DirectBoot(p.image().kernel(), p.image().initrd(), p.image().cmdline()),
                paths.osDisk(), new DomainSpec.BaseImage(p.image().disk(), p.image().diskFormat()),
                paths.configDrive(), paths.localDisk(), p.forwards(), agentSocket(), DomainSpec.AGENT_CHANNEL,
                terminalSocket(), paths.consoleLog());
    }

    // ---- libvirt

    public boolean isActive() throws HypervisorException {
        Optional<DomainState> s = hypervisor.state(name);
        return s.isPresent() && s.get().isActive();
    }

    /** {@link #isActive}, counting an unknown state as active (the caller then waits or destroys). */
    public boolean activeQuietly() {
        try {
            return isActive();
        } catch (HypervisorException e) {
            return true;
        }
    }

    /**
     * Destroy the domain if it runs and wait until libvirt reports it stopped. {@code beforeDestroy} runs just before
     * the destroy (the runtime marks the stop as its own there, so its event is not reported as a crash).
     */
    public void destroyAndWait(Runnable beforeDestroy) throws HypervisorException, InterruptedException {
        if (!isActive()) {
            return;
        }
        beforeDestroy.run();
        hypervisor.destroy(name);
        try {
            Poller.standard().until("domain " + name + " to stop", Deadline.after(DESTROY_DEADLINE),
                    () -> !activeQuietly());
        } catch (TimeoutException e) {
            throw new HypervisorException("domain " + name + " still runs " + DESTROY_DEADLINE.toSeconds()
                    + " s after destroy");
        }
    }

    /** Wait for a guest-initiated power-off. */
    public void awaitPowerOff(Duration deadline) throws TimeoutException, InterruptedException {
        Poller.standard().until("guest " + name + " to power off", Deadline.after(deadline), () -> !activeQuietly());
    }

    public void define(DomainSpec spec) throws HypervisorException {
        if (!spec.name().equals(name)) {
            throw new IllegalArgumentException("domain spec " + spec.name() + " is not the domain of " + ref);
        }
        hypervisor.define(spec);
    }

    public void start() throws HypervisorException {
        hypervisor.start(name);
    }

    public void undefine() throws HypervisorException {
        hypervisor.undefine(name);
    }

    public void suspend() throws HypervisorException {
        hypervisor.suspend(name);
    }

    public OptionalLong qemuPid() throws HypervisorException {
        return hypervisor.qemuPid(name);
    }

    public void sendKeys(int... keys) throws HypervisorException {
        hypervisor.sendKeys(name, keys);
    }

    // ---- files

    /** The instance's {@code instance.json}, if there is a readable one. */
    public Optional<InstanceFile> readInstanceFile() {
        Path f = paths().dir().resolve(InstanceFile.NAME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(f.toFile(), InstanceFile.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public void writeInstanceFile(InstanceFile f) throws IOException {
        AtomicFiles.write(paths().dir().resolve(InstanceFile.NAME), Json.mapper().writeValueAsBytes(f));
    }

    /** Delete the instance directory (overlay, local storage, config drive, console log) and its two sockets. */
    public void deleteFiles() {
        Path dir = paths().dir();
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new RuntimeOperationException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
        try {
            Files.deleteIfExists(agentSocket());
            Files.deleteIfExists(terminalSocket());
        } catch (IOException e) {
            // a leftover socket file is harmless: the next channel on this path replaces it
        }
    }
}
