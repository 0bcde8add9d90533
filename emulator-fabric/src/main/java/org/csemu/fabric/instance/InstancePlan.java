package org.csemu.fabric.instance;

import org.csemu.fabric.disk.ConfigDriveInput;
import org.csemu.fabric.disk.InstancePaths;
import org.csemu.fabric.image.Image;
import org.csemu.fabric.vm.DomainNames;
import org.csemu.fabric.vm.PortForward;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything needed to run one role instance as a VM, decided by the fabric before anything is created: ids, the
 * base image, the instance's host address and endpoint ports, the config drive's content, size and deadlines.
 *
 * @param dataDirId   identifies the data directory in domain metadata (several daemons may share one host)
 * @param hostAddress the instance's own loopback address (e.g. 127.255.0.N); every endpoint is forwarded from it
 */
public record InstancePlan(
        Path dataDir,
        String dataDirId,
        String deploymentId,
        String roleName,
        String instanceId,
        Image image,
        String hostAddress,
        List<Endpoint> endpoints,
        ConfigDriveInput configDrive,
        int vcpus,
        int memoryMiB,
        Timeouts timeouts) {

    public InstancePlan {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dataDirId, "dataDirId");
        Objects.requireNonNull(image, "image");
        if (image.kernel() == null) {
            throw new IllegalArgumentException("image " + image.shortId() + " has no kernel; only direct-boot images are supported");
        }
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(configDrive, "configDrive");
        Objects.requireNonNull(timeouts, "timeouts");
        new InstancePaths(dataDir, deploymentId, instanceId); // validates the ids
    }

    /**
     * One endpoint of the instance: {@code guestPort} in the guest, forwarded from {@code hostAddress:hostPort};
     * internal endpoints also get {@code loopbackPort} on 127.0.0.1 (so other guests reach it via 10.0.2.2).
     */
    public record Endpoint(String name, PortForward.Protocol protocol, int guestPort, int hostPort, Integer loopbackPort) {
        public Endpoint {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /** How long each phase may take before the instance is reported as failed instead of waited on. */
    public record Timeouts(Duration hello, Duration ready, Duration gracefulStop) {
        /** TCG boots take 5–8 s; a cold host and parallel boots need headroom. */
        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(180), Duration.ofSeconds(30));
        }
    }

    public InstancePaths paths() {
        return new InstancePaths(dataDir, deploymentId, instanceId);
    }

    public String domainName() {
        return DomainNames.of(deploymentId, instanceId);
    }

    /** The QEMU host forwards of every endpoint. */
    public List<PortForward> forwards() {
        List<PortForward> forwards = new ArrayList<>();
        for (Endpoint e : endpoints) {
            forwards.add(new PortForward(e.protocol(), hostAddress, e.hostPort(), e.guestPort()));
            if (e.loopbackPort() != null) {
                forwards.add(new PortForward(e.protocol(), "127.0.0.1", e.loopbackPort(), e.guestPort()));
            }
        }
        return forwards;
    }

    /** The local-storage disk size for this role's LocalStorage resources. */
    public long localDiskSizeMiB() {
        return org.csemu.fabric.disk.LocalStorageDisk.sizeMiB(
                configDrive.localResources().stream().map(ConfigDriveInput.LocalResource::sizeMiB).toList());
    }
}
