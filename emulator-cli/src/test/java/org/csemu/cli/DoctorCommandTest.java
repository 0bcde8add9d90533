package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.csemu.fabric.daemon.DaemonScope;
import org.csemu.fabric.host.HostContext;
import org.csemu.fabric.host.CheckResult;
import org.csemu.fabric.host.DoctorReport;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {

    private final DoctorReport report = new DoctorReport(List.of(
            CheckResult.ok("libvirtd", "libvirtd answers on qemu:///system", "hypervisor QEMU 7.2.0"),
            CheckResult.info("kvm", "KVM acceleration", "TCG will be used"),
            CheckResult.fail("subreaper", "libvirtd under a child subreaper", "parent is process_api", "./csemu setup --restart-libvirtd")));

    @Test
    void textShowsEveryCheckAndTheFixOfFailures() {
        StringWriter text = new StringWriter();
        DoctorCommand.printText(report, new PrintWriter(text));
        assertThat(text.toString())
                .contains("OK    libvirtd answers on qemu:///system")
                .contains("INFO  KVM acceleration")
                .contains("FAIL  libvirtd under a child subreaper")
                .contains("fix: ./csemu setup --restart-libvirtd")
                .contains("1 check failed");
    }

    @Test
    void jsonCarriesStatusIdsAndFixes() throws Exception {
        HostContext context = HostContext.system(Map.of()).withScope(DaemonScope.of(1234, "alice",
                Map.of("HOME", "/home/alice"))).withDataDir(Path.of("/home/alice/.local/share/csemu"));
        JsonNode json = new ObjectMapper().readTree(DoctorCommand.toJson(report, context));
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("scope").asText()).isEqualTo("user");
        assertThat(json.get("libvirtUri").asText()).isEqualTo("qemu:///session");
        assertThat(json.get("dataDirectory").asText()).isEqualTo("/home/alice/.local/share/csemu");
        assertThat(json.get("checks")).hasSize(3);
        assertThat(json.get("checks").get(2).get("id").asText()).isEqualTo("subreaper");
        assertThat(json.get("checks").get(2).get("status").asText()).isEqualTo("FAIL");
        assertThat(json.get("checks").get(2).get("fix").asText()).contains("--restart-libvirtd");
        assertThat(json.get("checks").get(0).has("fix")).isFalse();
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(Main.run("doctor", "--bogus")).isEqualTo(ExitCodes.USAGE);
    }
}
