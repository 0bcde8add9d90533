package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.csemu.cli.support.DurationConverter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command explains itself with an example; completion covers them; durations parse as documented. */
class CliHelpTest {

    private static final List<String> COMMANDS = List.of("run", "status", "events", "logs", "exec", "reboot", "reimage",
            "rebuild", "stop", "start", "scale", "update", "swap", "remove", "fault", "images", "certificates", "dashboard",
            "completion");

    @Test
    void everyCommandIsRegisteredAndItsHelpHasAnExample() {
        String top = CliRun.of("--help").out();
        for (String c : COMMANDS) {
            assertThat(top).as("csemu --help lists " + c).containsPattern("(?m)^\\s+" + c + "\\b");
            CliRun help = CliRun.of(c, "--help");
            assertThat(help.exitCode()).isEqualTo(0);
            if (!c.equals("images") && !c.equals("certificates")) {
                assertThat(help.out()).as(c + " --help").contains("Example");
            }
        }
        for (String c : List.of("add", "list", "rm")) {
            assertThat(CliRun.of("images", c, "--help").out()).contains("Example");
            assertThat(CliRun.of("certificates", c, "--help").out()).contains("Example");
        }
        assertThat(CliRun.of("ps", "--help").out()).contains("Usage: csemu status");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        CliRun r = CliRun.of("completion");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(r.out()).contains("complete -F").contains("reimage").contains("--wait-ready").contains("--deployment");
    }

    @Test
    void aWrongCommandLineExits2() {
        assertThat(CliRun.of("scale", "WebRole1").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("run", "x", "--timeout", "soon").err()).contains("is not a duration");
        assertThat(CliRun.of("run", "x", "--timeout", "soon").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void durations() {
        assertThat(DurationConverter.parse("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationConverter.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> DurationConverter.parse("0s")).isInstanceOf(CommandLine.TypeConversionException.class);
        assertThatThrownBy(() -> DurationConverter.parse("-1m")).isInstanceOf(CommandLine.TypeConversionException.class);
    }
}
