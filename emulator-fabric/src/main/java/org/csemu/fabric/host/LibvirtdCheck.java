package org.csemu.fabric.host;

import java.time.Duration;
import java.util.List;
import org.csemu.fabric.vm.SessionLibvirt;

/** libvirtd answers on the configured URI ({@code virsh -c URI version}). */
public final class LibvirtdCheck implements HostCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @Override
    public String id() {
        return "libvirtd";
    }

    @Override
    public CheckResult run(HostContext context) {
        if (context.userScope()) {
            return session(context);
        }
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

    /**
     * A user's daemon drives libvirt's session daemon, which is started on demand: asking it with {@code virsh}
     * would start one outside a subreaper, so only its socket is looked at.
     */
    private CheckResult session(HostContext context) {
        String title = "libvirt session daemon (" + context.libvirtUri() + ")";
        SessionLibvirt session = SessionLibvirt.current();
        if (context.findExecutable("libvirtd").isEmpty()) {
            return CheckResult.fail(id(), title, "libvirtd is not installed", "sudo ./csemu setup");
        }
        if (session.answers()) {
            return CheckResult.ok(id(), title, "answers on " + session.socket()
                    + session.daemonPid().map(p -> " (pid " + p + ")").orElse(""));
        }
        return CheckResult.ok(id(), title, "not running; the csemu daemon starts it (as " + context.scope().user()
                + ", socket " + session.socket() + ")");
    }
}
