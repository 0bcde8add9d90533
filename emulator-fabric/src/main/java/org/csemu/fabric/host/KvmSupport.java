package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * Whether QEMU can use KVM here. A {@code /dev/kvm} node alone proves nothing (on this project's CI machines it
 * exists but the CPU has no vmx/svm), so both the CPU flag and an open of the device are required; otherwise the
 * fabric defines {@code <domain type='qemu'>} (TCG).
 *
 * @param usable true when KVM acceleration can be used
 * @param reason why, in words
 */
public record KvmSupport(boolean usable, String reason) {

    private static final Pattern VIRT_FLAG = Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b");

    /** libvirt's domain type for this host: {@code kvm} or {@code qemu}. */
    public String domainType() {
        return usable ? "kvm" : "qemu";
    }

    public static KvmSupport detect(HostContext context) {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(context.path("/proc/cpuinfo"));
        } catch (IOException e) {
            return new KvmSupport(false, "cannot read /proc/cpuinfo");
        }
        if (!VIRT_FLAG.matcher(cpuinfo).find()) {
            return new KvmSupport(false, "the CPU has no vmx/svm flag (no nested virtualization)");
        }
        Path kvm = context.path("/dev/kvm");
        if (!Files.exists(kvm)) {
            return new KvmSupport(false, "/dev/kvm does not exist (kvm module not loaded?)");
        }
        try (FileChannel ignored = FileChannel.open(kvm, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return new KvmSupport(true, "vmx/svm present and /dev/kvm opens");
        } catch (IOException | UnsupportedOperationException e) {
            return new KvmSupport(false, "/dev/kvm does not open: " + e.getMessage());
        }
    }
}
