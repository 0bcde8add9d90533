package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code csemu run} refuses before it starts any daemon: wrong inputs and invalid services, exit 1. */
class RunCommandOfflineTest {
    private static final Path HELLO = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize()
            .resolve("samples/hello-web");

    @TempDir
    Path tmp;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = tmp.resolve("data").toString();
        int code = cl.execute(all);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void refusesWhatIsNotAServiceAndStartsNoDaemon() throws Exception {
        String[] missing = run("run", tmp.resolve("nothing").toString());
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("no service directory or package at");

        Path twoConfigs = Files.createDirectories(tmp.resolve("two"));
        Files.copy(HELLO.resolve("ServiceDefinition.csdef"), twoConfigs.resolve("ServiceDefinition.csdef"));
        Files.copy(HELLO.resolve("ServiceConfiguration.cscfg"), twoConfigs.resolve("A.cscfg"));
        Files.copy(HELLO.resolve("ServiceConfiguration.cscfg"), twoConfigs.resolve("B.cscfg"));
        String[] two = run("run", twoConfigs.toString());
        assertThat(two[0]).isEqualTo("1");
        assertThat(two[2]).contains("has 2 .cscfg files [A.cscfg, B.cscfg]").contains("name the one to deploy");

        Path pkg = tmp.resolve("hello.cspkg");
        String[] pack = run2("pack", HELLO.resolve("ServiceDefinition.csdef").toString(), "--role",
                "WebRole1=" + HELLO.resolve("WebRole1"), "--sites", "WebRole1;Web;" + HELLO.resolve("WebRole1/site"),
                "--out", pkg.toString());
        assertThat(pack[0]).as(pack[2]).isEqualTo("0");
        String[] noCfg = run("run", pkg.toString());
        assertThat(noCfg[0]).isEqualTo("1");
        assertThat(noCfg[2]).contains("is a package: give its service configuration");

        Path bad = tmp.resolve("bad.cscfg");
        Files.writeString(bad, Files.readString(HELLO.resolve("ServiceConfiguration.cscfg"))
                .replace("count=\"2\"", "count=\"zero\""));
        String[] invalid = run("run", pkg.toString(), bad.toString(), "--wait-ready");
        assertThat(invalid[0]).isEqualTo("1");
        assertThat(invalid[2]).containsPattern("bad\\.cscfg:\\d+:\\d+: error").contains("nothing was deployed");
        assertThat(tmp.resolve("data/daemon.json")).doesNotExist();
    }

    private static String[] run2(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }
}
