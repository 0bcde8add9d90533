package org.csemu.fabric.host;

import java.nio.file.Files;

/** virtlogd runs (or systemd socket-activates it): libvirt sends each QEMU's console and log output through it. */
public final class VirtlogdCheck implements HostCheck {

    private static final String TITLE = "virtlogd running";

    @Override
    public String id() {
        return "virtlogd";
    }

    @Override
    public CheckResult run(HostContext context) {
        if (context.userScope()) {
            return CheckResult.ok(id(), TITLE, "a user's session libvirtd starts its own virtlogd on demand");
        }
        var process = new ProcessTable(context).find("virtlogd", "/run/virtlogd.pid");
        if (process.isPresent()) {
            return CheckResult.ok(id(), TITLE, "pid " + process.get().pid());
        }
        if (Files.exists(context.path("/run/libvirt/virtlogd-sock")) && new ProcessTable(context).process(1)
                .map(p -> p.name().equals("systemd")).orElse(false)) {
            return CheckResult.ok(id(), TITLE, "socket-activated by systemd");
        }
        return CheckResult.fail(id(), TITLE, "no virtlogd process",
                "./csemu setup   (or: virtlogd -d; QEMU guests cannot start without it)");
    }
}
