package org.csemu.fabric.host;

import java.util.Optional;
import java.util.Set;
import org.csemu.fabric.vm.SessionLibvirt;

/**
 * libvirtd runs under a parent that reaps orphans at once (a child subreaper such as {@code tini -s}, or systemd).
 * libvirt reports a dead QEMU only once it is reaped; under this project's CI PID 1 that took ~1.8 s, under
 * {@code tini -s} 20-35 ms. The fabric's "out of rotation within 1 s" depends on it.
 */
public final class SubreaperCheck implements HostCheck {

    private static final String TITLE = "libvirtd under a child subreaper";
    /** Programs known to set PR_SET_CHILD_SUBREAPER (or to be a reaping PID 1) and reap promptly. */
    static final Set<String> REAPERS = Set.of("tini", "tini-static", "dumb-init", "catatonit", "systemd");
    private static final String FIX = "stop libvirtd, then ./csemu setup   (starts it under tini -s); "
            + "if ./csemu setup started it: ./csemu setup --restart-libvirtd";

    @Override
    public String id() {
        return "subreaper";
    }

    @Override
    public CheckResult run(HostContext context) {
        if (context.userScope()) {
            return session();
        }
        ProcessTable processes = new ProcessTable(context);
        Optional<ProcessTable.Proc> libvirtd = processes.find("libvirtd", "/run/libvirtd.pid");
        if (libvirtd.isEmpty()) {
            return CheckResult.fail(id(), TITLE, "no libvirtd process", "./csemu setup");
        }
        long parentPid = libvirtd.get().parentPid();
        Optional<ProcessTable.Proc> parent = processes.process(parentPid);
        String parentName = parent.map(ProcessTable.Proc::name).orElse("?");
        if (REAPERS.contains(parentName)) {
            return CheckResult.ok(id(), TITLE, "libvirtd pid " + libvirtd.get().pid() + ", parent " + parentName + " (pid " + parentPid + ")");
        }
        return CheckResult.fail(id(), TITLE, "libvirtd pid " + libvirtd.get().pid() + " has parent " + parentName + " (pid " + parentPid
                + "), which is not a known child subreaper: a crashed guest is reported ~1.8 s late", FIX);
    }

    /** The user's session daemon: the csemu daemon starts it under {@code tini -s}; one started otherwise is not. */
    private CheckResult session() {
        String title = "session libvirtd under a child subreaper";
        SessionLibvirt session = SessionLibvirt.current();
        if (!session.answers()) {
            return CheckResult.ok(id(), title, "not running; the csemu daemon starts it under tini -s");
        }
        String pid = session.daemonPid().map(String::valueOf).orElse("?");
        if (session.supervised()) {
            return CheckResult.ok(id(), title, "session libvirtd pid " + pid + " runs under tini -s");
        }
        return CheckResult.fail(id(), title, "session libvirtd pid " + pid + " was started without a subreaper"
                        + " (by virsh or another libvirt client): a crashed guest is reported ~1.8 s late",
                "csemu daemon stop; then, once no VM of yours runs, kill " + pid
                        + "; the next csemu daemon starts it under tini -s");
    }
}
