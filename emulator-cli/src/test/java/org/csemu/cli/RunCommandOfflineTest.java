package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code csemu run} refuses before it starts any daemon: wrong inputs and invalid services, exit 1. */
class RunCommandOfflineTest {
    private static final Path HELLO = Path.of(System.getProperty("csemu.root", "..")).toAbsolutePath().normalize()
            .resolve("samples/hello-web");

    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = tmp.resolve("data").toString();
        return CliRun.of(all);
    }

    @Test
    void refusesWhatIsNotAServiceAndStartsNoDaemon() throws Exception {
        CliRun missing = run("run", tmp.resolve("nothing").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("no service directory or package at");

        Path twoConfigs = Files.createDirectories(tmp.resolve("two"));
        Files.copy(HELLO.resolve("ServiceDefinition.csdef"), twoConfigs.resolve("ServiceDefinition.csdef"));
        Files.copy(HELLO.resolve("ServiceConfiguration.cscfg"), twoConfigs.resolve("A.cscfg"));
        Files.copy(HELLO.resolve("ServiceConfiguration.cscfg"), twoConfigs.resolve("B.cscfg"));
        CliRun two = run("run", twoConfigs.toString());
        assertThat(two.exitCode()).isEqualTo(1);
        assertThat(two.err()).contains("has 2 .cscfg files [A.cscfg, B.cscfg]").contains("name the one to deploy");

        Path pkg = tmp.resolve("hello.cspkg");
        CliRun pack = CliRun.of("pack", HELLO.resolve("ServiceDefinition.csdef").toString(), "--role",
                "WebRole1=" + HELLO.resolve("WebRole1"), "--sites", "WebRole1;Web;" + HELLO.resolve("WebRole1/site"),
                "--out", pkg.toString());
        assertThat(pack.exitCode()).as(pack.err()).isEqualTo(0);
        CliRun noCfg = run("run", pkg.toString());
        assertThat(noCfg.exitCode()).isEqualTo(1);
        assertThat(noCfg.err()).contains("is a package: give its service configuration");

        Path csx = Files.createDirectories(tmp.resolve("hello.csx/roles/WebRole1/approot"));
        Files.copy(HELLO.resolve("ServiceDefinition.csdef"), tmp.resolve("hello.csx/ServiceDefinition.csdef"));
        CliRun csxNoCfg = run("run", tmp.resolve("hello.csx").toString());
        assertThat(csxNoCfg.exitCode()).isEqualTo(1);
        assertThat(csxNoCfg.err()).contains("is a .csx directory (cspack /copyOnly): give its service configuration");

        Path encrypted = tmp.resolve("encrypted.cspkg");
        byte[] ciphertext = new byte[2048];
        new java.util.Random(3).nextBytes(ciphertext);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(encrypted))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("ServiceDefinition.csdef"));
            zip.write(Files.readAllBytes(HELLO.resolve("ServiceDefinition.csdef")));
            zip.putNextEntry(new java.util.zip.ZipEntry("WebRole1_3f2504e0-4f89-11d3-9a0c-0305e82c3301.cssx"));
            zip.write(ciphertext);
        }
        CliRun refused = run("run", encrypted.toString(), HELLO.resolve("ServiceConfiguration.cscfg").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("CSPack encrypted this role's content").contains("_CSPACK_FORCE_NOENCRYPT_=true");

        Path bad = tmp.resolve("bad.cscfg");
        Files.writeString(bad, Files.readString(HELLO.resolve("ServiceConfiguration.cscfg"))
                .replace("count=\"2\"", "count=\"zero\""));
        CliRun invalid = run("run", pkg.toString(), bad.toString(), "--wait-ready");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).containsPattern("bad\\.cscfg:\\d+:\\d+: error").contains("nothing was deployed");
        assertThat(tmp.resolve("data/daemon.json")).doesNotExist();
    }

}
