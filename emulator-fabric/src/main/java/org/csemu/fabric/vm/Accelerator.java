package org.csemu.fabric.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Decides between KVM and TCG. {@code /dev/kvm} existing proves nothing on the project's machines (no vmx/svm,
 * {@code -accel kvm} aborts), so KVM is picked only when the device opens, the CPU has the flag and libvirt's
 * capabilities offer a {@code kvm} domain type.
 */
public final class Accelerator {

    private static final Pattern VIRT_FLAG = Pattern.compile("(?m)^flags\\s*:.*\\b(vmx|svm)\\b");
    private static final Pattern KVM_DOMAIN = Pattern.compile("<domain\\s+type=['\"]kvm['\"]");

    private Accelerator() {
    }

    /** {@code test} for the test driver, {@code kvm} when every probe passes, otherwise {@code qemu} (TCG). */
    public static String choose(String uri, String capabilitiesXml) {
        if (uri.startsWith("test:")) {
            return "test";
        }
        boolean local = uri.startsWith("qemu:///");
        if (local && kvmDeviceUsable() && cpuHasVirtualization() && KVM_DOMAIN.matcher(capabilitiesXml).find()) {
            return "kvm";
        }
        if (!local && KVM_DOMAIN.matcher(capabilitiesXml).find()) {
            // a remote host: its capabilities are all we can see
            return "kvm";
        }
        return "qemu";
    }

    static boolean kvmDeviceUsable() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.exists(kvm)) {
            return false;
        }
        try (RandomAccessFile ignored = new RandomAccessFile(kvm.toFile(), "rw")) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean cpuHasVirtualization() {
        try {
            return VIRT_FLAG.matcher(Files.readString(Path.of("/proc/cpuinfo"))).find();
        } catch (IOException e) {
            return false;
        }
    }
}
