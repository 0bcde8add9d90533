package org.csemu.fabric.host;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the host checks behind {@code csemu doctor}: one per guarantee of {@code ./csemu setup}
 * (emulator-fabric/src/main/scripts/setup-host.sh), in the order a person would fix them.
 */
public final class HostDoctor {

    private final List<HostCheck> checks;

    public HostDoctor(List<HostCheck> checks) {
        this.checks = List.copyOf(checks);
    }

    /** The standard checks. */
    public static HostDoctor standard() {
        return new HostDoctor(List.of(
                new PackagesCheck(),
                new ToolsCheck(),
                new LibvirtdCheck(),
                new VirtlogdCheck(),
                new SubreaperCheck(),
                new KvmDeviceCheck(),
                new KvmAccelerationCheck(),
                new DefaultNetworkCheck(),
                new DataDirAccessCheck(),
                new GuestImageCheck()));
    }

    public List<HostCheck> checks() {
        return checks;
    }

    public DoctorReport examine(HostContext context) {
        List<CheckResult> results = new ArrayList<>();
        for (HostCheck check : checks) {
            CheckResult result;
            try {
                result = check.run(context);
            } catch (RuntimeException e) {
                result = CheckResult.fail(check.id(), check.id(), "the check itself failed: " + e, "report this as a csemu bug");
            }
            results.add(result);
        }
        return new DoctorReport(results);
    }
}
