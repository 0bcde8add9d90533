package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.csemu.cli.support.DurationConverter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command explains itself with an example; completion covers them; durations parse as documented. */
class CliHelpTest {

    private static final List<String> COMMANDS = List.of("run", "status", "events", "logs", "reboot", "reimage",
            "rebuild", "stop", "start", "scale", "update", "remove", "fault", "images", "dashboard", "completion");

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void everyCommandIsRegisteredAndItsHelpHasAnExample() {
        String top = run("--help")[1];
        for (String c : COMMANDS) {
            assertThat(top).as("csemu --help lists " + c).containsPattern("(?m)^\\s+" + c + "\\b");
            String[] help = run(c, "--help");
            assertThat(help[0]).isEqualTo("0");
            if (!c.equals("images")) {
                assertThat(help[1]).as(c + " --help").contains("Example");
            }
        }
        for (String c : List.of("add", "list", "rm")) {
            assertThat(run("images", c, "--help")[1]).contains("Example");
        }
        assertThat(run("ps", "--help")[1]).contains("Usage: csemu status");
    }

    @Test
    void completionPrintsABashScriptCoveringTheCommands() {
        String[] r = run("completion");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("complete -F").contains("reimage").contains("--wait-ready").contains("--deployment");
    }

    @Test
    void aWrongCommandLineExits2() {
        assertThat(run("scale", "WebRole1")[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
        assertThat(run("run", "x", "--timeout", "soon")[2]).contains("is not a duration");
        assertThat(run("run", "x", "--timeout", "soon")[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
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
