package org.csemu.fabric.host;

import java.time.Duration;
import java.util.List;

/** libvirtd answers on the configured URI ({@code virsh -c URI version}). */
public final class LibvirtdCheck implements HostCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Override
    public String id() {
        return "libvirtd";
    }

    @Override
    public CheckResult run(HostContext context) {
        String title = "libvirtd answers on " + context.libvirtUri();
        CommandResult result = context.runner().run(TIMEOUT, List.of("virsh", "-c", context.libvirtUri(), "version"));
        if (result.succeeded()) {
            String hypervisor = result.stdout().lines().filter(l -> l.startsWith("Running hypervisor:"))
                    .map(l -> l.substring("Running hypervisor:".length()).strip()).findFirst().orElse("?");
            String library = result.stdout().lines().filter(l -> l.startsWith("Using library:"))
                    .map(l -> l.substring("Using library:".length()).strip()).findFirst().orElse("?");
            return CheckResult.ok(id(), title, "hypervisor " + hypervisor + ", " + library);
        }
        return CheckResult.fail(id(), title, "no answer: " + result.firstMessageLine(),
                "./csemu setup   (starts virtlogd and libvirtd under tini -s when no service manager does)");
    }
}
