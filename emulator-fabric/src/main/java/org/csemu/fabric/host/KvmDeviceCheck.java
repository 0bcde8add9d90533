package org.csemu.fabric.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code /dev/kvm} is usable by libvirt's QEMU user (group {@code kvm}, mode 0660, {@code libvirt-qemu} in the
 * group). Otherwise libvirt probes QEMU as root (KVM "available"), checks as {@code libvirt-qemu} (not available)
 * and re-probes on every domain start: 76 s per start on the CI machines.
 */
public final class KvmDeviceCheck implements HostCheck {

    private static final String TITLE = "/dev/kvm usable by " + HostContext.QEMU_USER;
    private static final String FIX = "./csemu setup   (chgrp kvm /dev/kvm && chmod 0660 /dev/kvm, clears "
            + "/var/cache/libvirt/qemu/capabilities/ and restarts libvirtd: ./csemu setup --restart-libvirtd)";

    @Override
    public String id() {
        return "kvm-device";
    }

    @Override
    public CheckResult run(HostContext context) {
        Path kvm = context.path("/dev/kvm");
        if (!Files.exists(kvm)) {
            return CheckResult.ok(id(), TITLE, "no /dev/kvm: nothing to fix");
        }
        if (context.userScope()) {
            return forUser(context, kvm);
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(kvm, PosixFileAttributes.class);
        } catch (IOException | UnsupportedOperationException e) {
            return CheckResult.fail(id(), TITLE, "cannot read /dev/kvm attributes: " + e.getMessage(), FIX);
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        String group = attributes.group().getName();
        String mode = toOctal(permissions);
        if (permissions.contains(PosixFilePermission.OTHERS_READ) && permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            return CheckResult.ok(id(), TITLE, "mode " + mode + " (everyone may open it)");
        }
        boolean groupRw = permissions.contains(PosixFilePermission.GROUP_READ) && permissions.contains(PosixFilePermission.GROUP_WRITE);
        if (!groupRw || !group.equals("kvm")) {
            return CheckResult.fail(id(), TITLE, "mode " + mode + ", group " + group
                    + ": libvirt re-probes QEMU on every domain start (~76 s each)", FIX);
        }
        if (!groupMembers(context, "kvm").contains(HostContext.QEMU_USER) && !primaryGroupIs(context, HostContext.QEMU_USER, "kvm")) {
            return CheckResult.fail(id(), TITLE, "group kvm, mode " + mode + ", but " + HostContext.QEMU_USER + " is not in group kvm",
                    "usermod -a -G kvm " + HostContext.QEMU_USER + " && ./csemu setup --restart-libvirtd");
        }
        return CheckResult.ok(id(), TITLE, "group kvm, mode " + mode + ", " + HostContext.QEMU_USER + " in group kvm");
    }

    /**
     * A user's session libvirt runs QEMU as that user, who must be able to open {@code /dev/kvm} (group {@code kvm})
     * for KVM; without it guests run under TCG. Only a failure where KVM would otherwise work.
     */
    private CheckResult forUser(HostContext context, Path kvm) {
        String user = context.scope().user();
        String title = "/dev/kvm usable by " + user;
        try (java.nio.channels.FileChannel ignored = java.nio.channels.FileChannel.open(kvm,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            return CheckResult.ok(id(), title, user + " may open /dev/kvm");
        } catch (IOException | UnsupportedOperationException e) {
            KvmSupport host = KvmSupport.detect(context.withScope(org.csemu.fabric.daemon.DaemonScope.of(0, "root",
                    java.util.Map.of())));
            if (host.reason().contains("vmx/svm flag")) {
                return CheckResult.info(id(), title, user + " cannot open /dev/kvm, but KVM does not work on this"
                        + " host anyway (" + host.reason() + "): TCG");
            }
            return CheckResult.fail(id(), title, user + " cannot open /dev/kvm (not in group kvm?): guests would run"
                    + " under TCG, several times slower", "sudo usermod -a -G kvm " + user + "   (or: sudo ./csemu setup"
                    + " --user " + user + "); then log in again so the new group applies");
        }
    }

    private static String toOctal(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission p : permissions) {
            mode |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", mode);
    }

    private static Set<String> groupMembers(HostContext context, String group) {
        try {
            for (String line : Files.readAllLines(context.path("/etc/group"))) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(group)) {
                    return Set.copyOf(Arrays.asList(fields[3].split(",")));
                }
            }
        } catch (IOException e) {
            return Set.of();
        }
        return Set.of();
    }

    private static boolean primaryGroupIs(HostContext context, String user, String group) {
        try {
            String gid = null;
            for (String line : Files.readAllLines(context.path("/etc/group"))) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 3 && fields[0].equals(group)) {
                    gid = fields[2];
                }
            }
            for (String line : Files.readAllLines(context.path("/etc/passwd"))) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 4 && fields[0].equals(user)) {
                    return fields[3].equals(gid);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
