package org.csemu.fabric.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A csemu guest as the driver defines it: a typed model the XML is generated from (never string concatenation),
 * small enough that every field is a decision the fabric makes.
 *
 * @param name             the libvirt domain name ({@link DomainNames#of})
 * @param virtType         {@code qemu} (TCG), {@code kvm}, or {@code test} for libvirt's test driver
 * @param osDisk           the qcow2 overlay (vda)
 * @param base             the read-only base image under the overlay (never relabelled, never written)
 * @param configDrive      the raw tar config drive (vdb, read-only, serial csemu-config)
 * @param localDisk        the ext4 local-storage disk (vdc, serial csemu-local); null for none
 * @param forwards         QEMU user-mode host forwards, all on loopback addresses
 * @param agentSocket      the unix socket of the agent's virtio-serial channel (QEMU binds it)
 * @param agentChannelName the virtio-serial port name the guest agent looks for
 * @param terminalSocket   the unix socket of the virtio console (hvc0 in the guest: {@code csemu shell}'s terminal;
 *                         QEMU binds it)
 * @param consoleLog       the serial console's log file
 */
public record DomainSpec(
        String name,
        DomainMetadata metadata,
        String virtType,
        int vcpus,
        int memoryMiB,
        DirectBoot boot,
        Path osDisk,
        BaseImage base,
        Path configDrive,
        Path localDisk,
        List<PortForward> forwards,
        Path agentSocket,
        String agentChannelName,
        Path terminalSocket,
        Path consoleLog) {

    /** The channel name of guest-agent protocol version 1. */
    public static final String AGENT_CHANNEL = "org.csemu.agent.0";

    public DomainSpec {
        DomainNames.requireValid(name);
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(virtType, "virtType");
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus must be >= 1");
        }
        if (memoryMiB < 32) {
            throw new IllegalArgumentException("memory must be >= 32 MiB");
        }
        Objects.requireNonNull(boot, "boot");
        Objects.requireNonNull(osDisk, "osDisk");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(configDrive, "configDrive");
        forwards = List.copyOf(forwards);
        for (PortForward forward : forwards) {
            Objects.requireNonNull(forward);
        }
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(agentChannelName, "agentChannelName");
        Objects.requireNonNull(terminalSocket, "terminalSocket");
        Objects.requireNonNull(consoleLog, "consoleLog");
    }

    /** Kernel, initrd and command line booted directly (PVH), without a bootloader in the image. */
    public record DirectBoot(Path kernel, Path initrd, String cmdline) {
        public DirectBoot {
            Objects.requireNonNull(kernel, "kernel");
            cmdline = cmdline == null ? "" : cmdline;
        }
    }

    /** The read-only image under the overlay. */
    public record BaseImage(Path path, String format) {
        public BaseImage {
            Objects.requireNonNull(path, "path");
            if (!format.equals("qcow2") && !format.equals("raw")) {
                throw new IllegalArgumentException("base image format must be qcow2 or raw, got " + format);
            }
        }
    }

    /** Same spec with other metadata (e.g. a new overlay generation). */
    public DomainSpec withMetadata(DomainMetadata newMetadata) {
        return new DomainSpec(name, newMetadata, virtType, vcpus, memoryMiB, boot, osDisk, base, configDrive, localDisk,
                forwards, agentSocket, agentChannelName, terminalSocket, consoleLog);
    }
}
