package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackCommandTest {

    static final String CSDEF = """
            <?xml version="1.0" encoding="utf-8"?>
            <ServiceDefinition name="demo" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
              <WebRole name="Web">
                <Sites>
                  <Site name="Main">
                    <Bindings><Binding name="b" endpointName="HttpIn"/></Bindings>
                  </Site>
                </Sites>
                <Endpoints><InputEndpoint name="HttpIn" protocol="http" port="80"/></Endpoints>
              </WebRole>
              <WorkerRole name="Worker">
                <Runtime><EntryPoint><ProgramEntryPoint commandLine="sh run.sh" setReadyOnProcessStart="true"/></EntryPoint></Runtime>
              </WorkerRole>
            </ServiceDefinition>
            """;

    @TempDir
    Path dir;
    Path csdef;

    @BeforeEach
    void setUp() throws Exception {
        csdef = dir.resolve("ServiceDefinition.csdef");
        Files.writeString(csdef, CSDEF);
        Files.createDirectories(dir.resolve("worker"));
        Files.writeString(dir.resolve("worker/run.sh"), "echo hi\n");
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "<h1>hi</h1>");
    }

    @Test
    void packs_and_prints_a_summary() {
        CliRun r = CliRun.of("pack", csdef.toString(), "--role", "Worker=" + dir.resolve("worker"),
                "--sites", "Web;Main;" + dir.resolve("site"), "--out", dir.resolve("demo.cspkg").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("Packed service 'demo' into " + dir.resolve("demo.cspkg"))
                .containsPattern("role Web\\s+1 file\\(s\\)\\s+11 bytes")
                .containsPattern("role Worker\\s+1 file\\(s\\)\\s+8 bytes");
        assertThat(r.err()).isEmpty();
        assertThat(dir.resolve("demo.cspkg")).isRegularFile();
    }

    @Test
    void warns_about_content_left_out_and_defaults_the_output_name() {
        CliRun r = CliRun.of("pack", csdef.toString(), "--role", "Worker=" + dir.resolve("worker"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("warning PKG002 site 'Main' of role 'Web' has no content")
                .contains("warning PKG001 role 'Web' has no content");
        Path defaulted = Path.of("demo.cspkg").toAbsolutePath();
        try {
            assertThat(r.out()).contains("into " + defaulted);
            assertThat(defaulted).isRegularFile();
        } finally {
            defaulted.toFile().delete();
        }
    }

    @Test
    void an_unknown_role_exits_1_with_the_reason() {
        CliRun r = CliRun.of("pack", csdef.toString(), "--role", "Nope=" + dir.resolve("worker"), "--out", dir.resolve("x.cspkg").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("csemu pack: ").contains("no role named 'Nope'").contains("use one of: Web, Worker");
        assertThat(dir.resolve("x.cspkg")).doesNotExist();
    }

    @Test
    void a_definition_with_errors_exits_1_listing_them() throws Exception {
        Files.writeString(csdef, CSDEF.replace("<WorkerRole name=\"Worker\">", "<WorkerRole name=\"Worker\" bogus=\"x\">"));
        CliRun r = CliRun.of("pack", csdef.toString(), "--out", dir.resolve("x.cspkg").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(csdef + ":").contains("error").contains("no package was written");
    }

    @Test
    void a_malformed_role_option_is_a_usage_error() {
        CliRun r = CliRun.of("pack", csdef.toString(), "--role", "Worker", "--out", dir.resolve("x.cspkg").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--role 'Worker' is not NAME=DIR");
    }

    @Test
    void a_malformed_sites_option_is_a_usage_error() {
        CliRun r = CliRun.of("pack", csdef.toString(), "--sites", "Web;Main", "--out", dir.resolve("x.cspkg").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("is not ROLE;VPATH;DIR");
    }

    @Test
    void a_missing_argument_is_a_usage_error() {
        assertThat(CliRun.of("pack").exitCode()).isEqualTo(2);
    }
}
