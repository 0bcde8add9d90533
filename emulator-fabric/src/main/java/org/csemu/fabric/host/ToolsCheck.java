package org.csemu.fabric.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The other programs {@code ./csemu setup} installs: the guest image recipe's tools (busybox-static, cpio,
 * e2fsprogs, kmod, xz), {@code tini} (the subreaper libvirtd runs under) and {@code socat} (the smoke test).
 */
public final class ToolsCheck implements HostCheck {

    private static final String TITLE = "image build tools, tini, socat";
    /** program -> Debian package, in the order they are reported. */
    private static final Map<String, String> TOOLS = new java.util.LinkedHashMap<>();

    static {
        TOOLS.put("busybox", "busybox-static");
        TOOLS.put("cpio", "cpio");
        TOOLS.put("mkfs.ext4", "e2fsprogs");
        TOOLS.put("debugfs", "e2fsprogs");
        TOOLS.put("depmod", "kmod");
        TOOLS.put("xz", "xz-utils");
        TOOLS.put("tini", "tini");
        TOOLS.put("socat", "socat");
    }

    @Override
    public String id() {
        return "tools";
    }

    @Override
    public CheckResult run(HostContext context) {
        List<String> missing = new ArrayList<>();
        List<String> packages = new ArrayList<>();
        TOOLS.forEach((program, pkg) -> {
            if (context.findExecutable(program).isEmpty()) {
                missing.add(program);
                if (!packages.contains(pkg)) {
                    packages.add(pkg);
                }
            }
        });
        if (missing.isEmpty()) {
            return CheckResult.ok(id(), TITLE, String.join(", ", TOOLS.keySet()) + " present");
        }
        return CheckResult.fail(id(), TITLE, "missing: " + String.join(", ", missing),
                "./csemu setup   (or: apt-get install --no-install-recommends " + String.join(" ", packages) + ")");
    }
}
