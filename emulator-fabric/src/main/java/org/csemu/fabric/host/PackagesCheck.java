package org.csemu.fabric.host;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The programs and the library csemu drives: QEMU, qemu-img, virsh, libvirt.so.0 (libvirt-java loads it via JNA). */
public final class PackagesCheck implements HostCheck {

    private static final String TITLE = "QEMU and libvirt installed";
    private static final List<String[]> PROGRAMS = List.of(
            new String[] {"qemu-system-x86_64", "qemu-system-x86"},
            new String[] {"qemu-img", "qemu-utils"},
            new String[] {"virsh", "libvirt-clients"},
            new String[] {"libvirtd", "libvirt-daemon-system"});
    private static final List<String> LIBRARY_DIRS = List.of(
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib");

    @Override
    public String id() {
        return "packages";
    }

    @Override
    public CheckResult run(HostContext context) {
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        for (String[] program : PROGRAMS) {
            if (context.findExecutable(program[0]).isEmpty()) {
                missing.add(program[0]);
                packages.add(program[1]);
            }
        }
        boolean library = LIBRARY_DIRS.stream().anyMatch(dir -> Files.exists(context.path(dir).resolve("libvirt.so.0")));
        if (!library) {
            missing.add("libvirt.so.0");
            packages.add("libvirt0");
        }
        if (missing.isEmpty()) {
            return CheckResult.ok(id(), TITLE, "qemu-system-x86_64, qemu-img, virsh, libvirtd, libvirt.so.0 present");
        }
        return CheckResult.fail(id(), TITLE, "missing: " + String.join(", ", missing),
                "./csemu setup   (or: apt-get install --no-install-recommends " + String.join(" ", packages.stream().distinct().toList()) + ")");
    }
}
