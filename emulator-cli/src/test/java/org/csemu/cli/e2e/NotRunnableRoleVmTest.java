package org.csemu.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.csemu.cli.ExitCodes;
import org.csemu.fabric.util.Deadline;
import org.csemu.fabric.util.Poller;
import org.csemu.testing.VmTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service a Linux guest cannot run (the {@code not-runnable} test service: a worker with a .NET entry point, a web
 * role whose simple startup task is a {@code .cmd} without a {@code .sh}), through the CLI on real VMs: {@code
 * validate} warns per role; {@code run --wait-ready} stops at once with the reason instead of waiting or reporting
 * Ready; both instances stay BusyRole with the error code {@code RoleNotRunnable}, out of rotation, and are not
 * recycled (the same state since the same instant across more than a heartbeat timeout); the guest's console says
 * why.
 */
@VmTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotRunnableRoleVmTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SERVICE = Path.of("src/test/resources/services/not-runnable").toAbsolutePath();

    @RegisterExtension
    static final LiveDaemonSession LIVE = LiveDaemonSession.create().removingAtEnd("not-runnable");

    private LiveDaemon daemon;

    @BeforeAll
    void setUp() {
        daemon = LIVE.daemon();
    }

    @Test
    void aRoleThatCannotRunHereIsShownAsSuchAndNeverCycles() throws Exception {
        LiveDaemon.Result validate = LiveDaemon.csemuRaw("validate", SERVICE.resolve("ServiceDefinition.csdef").toString(),
                SERVICE.resolve("ServiceConfiguration.cscfg").toString());
        assertThat(validate.code()).as(validate.all()).isEqualTo(ExitCodes.OK);
        assertThat(validate.out() + validate.err())
                .contains("warning CSDEF127 WebRole 'WinWeb': startup task 'Startup.cmd install'")
                .contains("warning CSDEF127 WorkerRole 'DotNetWorker': the NetFxEntryPoint 'Worker.dll'");

        LiveDaemon.Result run = daemon.csemu("run", SERVICE.toString(), "--name", "not-runnable", "--wait-ready",
                "--timeout", "5m", "--daemon-port", "0");
        System.out.println(run.all());
        assertThat(run.code()).as(run.all()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).contains("RoleNotRunnable").contains("not runnable in a Linux guest");
        assertThat(run.out()).doesNotContain("is ready");

        Map<String, String> since = new HashMap<>();
        JsonNode d = Poller.standard().until("both instances BusyRole", Deadline.after(Duration.ofMinutes(5)), () -> {
            JsonNode now = deployment();
            return java.util.Optional.ofNullable(now.get("instances").size() == 2
                    && allMatch(now, "BusyRole") ? now : null);
        });
        for (JsonNode i : d.get("instances")) {
            assertThat(i.get("errorCode").asText()).as(i.toString()).isEqualTo("RoleNotRunnable");
            assertThat(i.get("inRotation").asBoolean()).as(i.toString()).isFalse();
            since.put(i.get("id").asText(), i.get("since").asText());
        }
        assertThat(CliLifecycleVmTest.instance(d, "DotNetWorker_IN_0").get("details").asText())
                .contains("NetFxEntryPoint 'Worker.dll' is a .NET assembly");
        assertThat(CliLifecycleVmTest.instance(d, "WinWeb_IN_0").get("details").asText())
                .contains("simple startup task 'Startup.cmd install'").contains("ship Startup.sh");

        // Not recycled: nothing changes for longer than the heartbeat timeout (30 s) and a start back-off (5 s).
        boolean changed = Poller.every(Duration.ofSeconds(2)).within(Deadline.after(Duration.ofSeconds(40)), () -> {
            JsonNode now = deployment();
            for (JsonNode i : now.get("instances")) {
                if (!i.get("state").asText().equals("BusyRole")
                        || !i.get("since").asText().equals(since.get(i.get("id").asText()))) {
                    return true;
                }
            }
            return false;
        });
        assertThat(changed).as("a not-runnable instance changed state (cycling?): " + deployment()).isFalse();

        LiveDaemon.Result logs = daemon.csemu("logs", "WinWeb_IN_0", "-d", "not-runnable");
        assertThat(logs.code()).as(logs.all()).isEqualTo(ExitCodes.OK);
        assertThat(logs.out()).as("the guest's own console").contains("cannot run in this guest");
    }

    private JsonNode deployment() throws IOException {
        LiveDaemon.Result r = daemon.csemu("status", "--json");
        assertThat(r.code()).as(r.all()).isEqualTo(ExitCodes.OK);
        for (JsonNode d : JSON.readTree(r.out())) {
            if (d.get("name").asText().equals("not-runnable")) {
                return d;
            }
        }
        throw new AssertionError("no deployment not-runnable in " + r.out());
    }

    private static boolean allMatch(JsonNode d, String state) {
        for (JsonNode i : d.get("instances")) {
            if (!i.get("state").asText().equals(state)) {
                return false;
            }
        }
        return true;
    }
}
