package org.csemu.fabric.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.csemu.testing.HostRequirement;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.Test;

/**
 * Runs the real doctor against this machine. Under {@code CI=true} the host was prepared by {@code ./csemu setup},
 * so every check must pass; elsewhere an unprepared host skips with the report as the reason.
 */
@VmTest
class HostDoctorLiveTest {

    @Test
    void thisHostIsReadyForCsemu() {
        DoctorReport report = HostDoctor.standard().examine(HostContext.system(System.getenv()));
        String text = report.results().stream()
                .map(r -> r.status() + " " + r.id() + ": " + r.detail() + (r.fix().isEmpty() ? "" : " (fix: " + r.fix() + ")"))
                .collect(Collectors.joining("\n"));
        HostRequirement.require(report.passed(), "host not set up for csemu; doctor says:\n" + text);
        assertThat(report.passed()).as(text).isTrue();
        assertThat(report.results()).extracting(CheckResult::id).contains("libvirtd", "subreaper", "guest-image", "kvm");
    }
}
