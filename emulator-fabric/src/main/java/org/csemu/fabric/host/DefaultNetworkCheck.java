package org.csemu.fabric.host;

import java.util.List;
import java.util.Locale;

/**
 * libvirt's {@code default} NAT network is absent, or at least neither active nor set to autostart: it would put
 * a bridge and a private-range address on the host. csemu guests use QEMU user-mode networking only.
 */
public final class DefaultNetworkCheck implements HostCheck {

    private static final String TITLE = "libvirt 'default' network absent";
    private static final String FIX = "./csemu setup   (or: virsh net-destroy default; virsh net-undefine default)";

    @Override
    public String id() {
        return "default-network";
    }

    @Override
    public CheckResult run(HostContext context) {
        if (context.userScope()) {
            return CheckResult.ok(id(), TITLE, "a session daemon cannot start bridged networks; the system"
                    + " daemon's are root's to check (sudo ./csemu doctor)");
        }
        CommandResult info = context.runner().run(LibvirtdCheck.TIMEOUT,
                List.of("virsh", "-c", context.libvirtUri(), "net-info", "default"));
        if (!info.succeeded()) {
            String message = (info.stderr() + info.stdout()).toLowerCase(Locale.ROOT);
            if (message.contains("network not found") || message.contains("no network with matching name")) {
                return CheckResult.ok(id(), TITLE, "not defined");
            }
            return CheckResult.fail(id(), TITLE, "cannot ask libvirtd: " + info.firstMessageLine(),
                    "start libvirtd first: ./csemu setup");
        }
        boolean active = field(info.stdout(), "Active");
        boolean autostart = field(info.stdout(), "Autostart");
        if (active || autostart) {
            return CheckResult.fail(id(), TITLE, "defined" + (active ? ", ACTIVE" : "") + (autostart ? ", autostart on" : ""), FIX);
        }
        return CheckResult.ok(id(), TITLE, "defined but inactive, no autostart (./csemu setup removes it)");
    }

    private static boolean field(String output, String name) {
        return output.lines().map(String::strip).filter(l -> l.startsWith(name + ":"))
                .anyMatch(l -> l.substring(name.length() + 1).strip().equalsIgnoreCase("yes"));
    }
}
