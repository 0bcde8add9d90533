package org.csemu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code csemu validate} contract: exit codes, output format, JSON, limit options, help. */
class ValidateCommandTest {

    private static final String ORLEANS = "dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__";

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    /** The corpus that ships with emulator-core's tests (inside the repository). */
    static Path corpus(String relative) {
        return Path.of("../emulator-core/src/test/resources/corpus").resolve(relative);
    }

    static Run run(String... args) {
        CommandLine cl = Main.newCommandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aCleanPairExitsZeroWithASummary() {
        Run r = run("validate", corpus(ORLEANS + "ServiceDefinition.csdef").toString(),
                corpus(ORLEANS + "ServiceConfiguration.Cloud.cscfg").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.lines()).containsExactly("0 errors, 0 warnings");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void errorsExitOneWithCompilerStyleLines() {
        Path cscfg = corpus("Blackmist__rubyrole/ServiceConfiguration.Cloud.cscfg");
        Run r = run("validate", corpus("Blackmist__rubyrole/ServiceDefinition.csdef").toString(), cscfg.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.lines()).hasSize(8);
        assertThat(r.lines().subList(0, 3)).as("the definition first: what will not run on Linux")
                .allMatch(l -> l.contains(": warning CSDEF127 WorkerRole 'WorkerRole': "));
        assertThat(r.lines().get(3)).startsWith(cscfg + ":5:").contains(": error SVC105 role 'WorkerRole': setting "
                + "'Microsoft.WindowsAzure.Plugins.Caching.NamedCaches' is not declared").contains("(fix: add <Import");
        assertThat(r.lines().get(7)).isEqualTo("4 errors, 3 warnings");
    }

    @Test
    void warningsAloneExitZero() {
        String base = "mspnp__cloud-design-patterns/leader-election__LeaderElection__";
        Run r = run("validate", corpus(base + "ServiceDefinition.csdef").toString(),
                corpus(base + "ServiceConfiguration.Cloud.cscfg").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.lines()).hasSize(2);
        assertThat(r.lines().get(0)).contains(": warning SVC108 schemaVersion 2015-04.2.6 differs");
        assertThat(r.lines().get(1)).isEqualTo("0 errors, 1 warning");
        Run strict = run("validate", "--warnings-as-errors", corpus(base + "ServiceDefinition.csdef").toString(),
                corpus(base + "ServiceConfiguration.Cloud.cscfg").toString());
        assertThat(strict.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(strict.out()).isEqualTo(r.out());
    }

    @Test
    void jsonPrintsExactlyOneArrayAndNothingElse() throws IOException {
        Run r = run("validate", "--json", corpus(ORLEANS + "ServiceDefinition.csdef").toString(),
                corpus(ORLEANS + "ServiceConfiguration.Local.cscfg").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        JsonNode array = new ObjectMapper().readTree(r.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        for (JsonNode d : array) {
            assertThat(d.fieldNames()).toIterable()
                    .containsExactly("file", "line", "column", "severity", "code", "message", "fix");
            assertThat(d.get("code").asText()).isEqualTo("SVC104");
            assertThat(d.get("severity").asText()).isEqualTo("error");
            assertThat(d.get("line").asInt()).isPositive();
        }
        // the whole of stdout is that one JSON value: parsing it as a sequence finds exactly one
        try (var parser = new ObjectMapper().createParser(r.out())) {
            assertThat(parser.readValueAsTree().isArray()).isTrue();
            assertThat(parser.nextToken()).as("anything after the array").isNull();
        }
    }

    @Test
    void jsonForACleanPairIsAnEmptyArray() throws IOException {
        Run r = run("validate", "--json", corpus(ORLEANS + "ServiceDefinition.csdef").toString(),
                corpus(ORLEANS + "ServiceConfiguration.Cloud.cscfg").toString());
        assertThat(r.exit()).isZero();
        assertThat(new ObjectMapper().readTree(r.out()).size()).isZero();
    }

    @Test
    void aMissingFileIsBadInput_exitOneWithAClearMessage(@TempDir Path dir) {
        Path missing = dir.resolve("nope.cscfg");
        Run r = run("validate", corpus(ORLEANS + "ServiceDefinition.csdef").toString(), missing.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.out()).contains(missing + ":0:0: error").contains("cannot read the file: it does not exist");
        assertThat(r.lines().get(r.lines().size() - 1)).isEqualTo("1 error, 0 warnings");
    }

    @Test
    void aMalformedFileIsReportedAtItsLine() throws IOException {
        Path dir = Path.of(System.getProperty("csemu.root", "..")).resolve("emulator-core/src/test/resources/validate/malformed");
        Run r = run("validate", dir.resolve("ServiceDefinition.csdef").toString(),
                dir.resolve("ServiceConfiguration.Local.cscfg").toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(r.lines().get(0)).startsWith(dir.resolve("ServiceConfiguration.Local.cscfg") + ":8:").contains("error XML001");
    }

    @Test
    void wrongArgumentsExitTwo() {
        Run none = run("validate");
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("Missing required parameter");
        assertThat(none.out()).isEmpty();
        Run unknown = run("validate", "--frobnicate", "a", "b");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.USAGE);
        Run zero = run("validate", "--max-roles", "0", "a.csdef", "b.cscfg");
        assertThat(zero.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.err()).contains("--max-roles must be at least 1");
        Run notANumber = run("validate", "--max-instances", "many", "a.csdef", "b.cscfg");
        assertThat(notANumber.exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void limitOptionsRaiseOrSoftenTheLimits(@TempDir Path dir) throws IOException {
        Path[] files = threeRoleService(dir, 20);
        Run strict = run("validate", "--max-roles", "2", files[0].toString(), files[1].toString());
        assertThat(strict.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(strict.out()).contains("error CSDEF104").contains("--max-roles");
        Run soft = run("validate", "--max-roles", "2", "--limits-as-warnings", files[0].toString(), files[1].toString());
        assertThat(soft.exit()).isZero();
        assertThat(soft.out()).contains("warning CSDEF104");
        Run instances = run("validate", "--max-instances", "59", files[0].toString(), files[1].toString());
        assertThat(instances.exit()).isEqualTo(ExitCodes.INVALID);
        assertThat(instances.out()).contains("error CSCFG102").contains("60 role instances");
        assertThat(run("validate", "--max-instances", "60", files[0].toString(), files[1].toString()).exit()).isZero();
        Run endpoints = run("validate", "--max-input-endpoints", "2", "--max-internal-endpoints", "1",
                files[0].toString(), files[1].toString());
        assertThat(endpoints.out()).contains("3 input").contains("3 internal");
    }

    @Test
    void certificatesGetANoteOnStderrThatTheStoreIsCheckedAtDeployTime() {
        String pair = "Azure-Samples__cloud-services-extended-support/101-cses-singlerole-certificate__";
        Run r = run("validate", corpus(pair + "ServiceDefinition.csdef").toString(),
                corpus(pair + "ServiceConfiguration.Cloud.cscfg").toString());
        assertThat(r.err()).contains("note: the configuration names 1 certificate; they are checked against the"
                + " certificate store of service").contains("when it is deployed (csemu certificates list ");
        assertThat(r.out()).doesNotContain("certificate store");
    }

    @Test
    void helpShowsAnExampleAndExitsZero() {
        Run r = run("validate", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: csemu validate").contains("Examples:")
                .contains("csemu validate ServiceDefinition.csdef ServiceConfiguration.Cloud.cscfg")
                .contains("--max-roles").contains("--limits-as-warnings").contains("--json");
    }

    @Test
    void asAProcess_stdoutCarriesOnlyTheReportAndTheExitCodeIsReal() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "validate", "--json",
                corpus("Blackmist__rubyrole/ServiceDefinition.csdef").toString(),
                corpus("Blackmist__rubyrole/ServiceConfiguration.Cloud.cscfg").toString()));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(ExitCodes.INVALID);
        assertThat(new ObjectMapper().readTree(out)).as("4 errors, 3 warnings").hasSize(7);
    }

    /** A worker-only service with three roles, each with one input and one internal endpoint. */
    private static Path[] threeRoleService(Path dir, int instancesPerRole) throws IOException {
        StringBuilder def = new StringBuilder("<?xml version=\"1.0\"?>\n<ServiceDefinition name=\"three\" "
                + "xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\">\n");
        StringBuilder cfg = new StringBuilder("<?xml version=\"1.0\"?>\n<ServiceConfiguration serviceName=\"three\" "
                + "xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\">\n");
        for (int i = 1; i <= 3; i++) {
            def.append("  <WorkerRole name=\"W").append(i).append("\">\n    <Endpoints>\n")
                    .append("      <InputEndpoint name=\"in\" protocol=\"tcp\" port=\"").append(8000 + i).append("\"/>\n")
                    .append("      <InternalEndpoint name=\"peer\" protocol=\"tcp\"/>\n")
                    .append("    </Endpoints>\n  </WorkerRole>\n");
            cfg.append("  <Role name=\"W").append(i).append("\"><Instances count=\"").append(instancesPerRole)
                    .append("\"/></Role>\n");
        }
        def.append("</ServiceDefinition>\n");
        cfg.append("</ServiceConfiguration>\n");
        Path csdef = Files.writeString(dir.resolve("ServiceDefinition.csdef"), def);
        Path cscfg = Files.writeString(dir.resolve("ServiceConfiguration.cscfg"), cfg);
        return new Path[] {csdef, cscfg};
    }
}
