package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.diag.Severity;
import org.csemu.core.parse.ServiceModelParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and validation in one call: what reaches the caller when a file is broken, missing, or fine. */
class ServiceModelLoaderTest {

    private static final String ORLEANS = "dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__";

    private final ServiceModelLoader loader =
            new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(ValidationLimits.defaults()));

    static Path malformed(String name) {
        return Path.of(System.getProperty("csemu.root", "../.."))
                .resolve("emulator-core/src/test/resources/validate/malformed").resolve(name);
    }

    @Test
    void aMalformedConfigurationIsReportedAtTheRealLineAndColumn() {
        // The corpus configuration of dotnet/orleans with "</Role>" on line 8 broken into "</Rol>".
        Path cscfg = malformed("ServiceConfiguration.Local.cscfg");
        LoadResult result = loader.load(malformed("ServiceDefinition.csdef"), cscfg);

        assertThat(result.ok()).isFalse();
        assertThat(result.configuration()).isEmpty();
        assertThat(result.definition()).isPresent();
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.code()).isEqualTo("XML001");
        assertThat(d.severity()).isEqualTo(Severity.ERROR);
        assertThat(d.file()).isEqualTo(cscfg.toString());
        assertThat(d.line()).isEqualTo(8);
        // "  </Rol>": the parser points at the end tag it could not match
        assertThat(d.column()).isEqualTo(5); // the name of the wrong end tag
        assertThat(d.message()).contains("Role");
    }

    @Test
    void definitionRulesStillRunWhenOnlyTheConfigurationIsBroken(@TempDir Path dir) throws IOException {
        Path csdef = Files.writeString(dir.resolve("ServiceDefinition.csdef"), """
                <?xml version="1.0"?>
                <ServiceDefinition name="s" upgradeDomainCount="5" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WorkerRole name="A"><Endpoints><InputEndpoint name="e" protocol="tcp" port="80"/></Endpoints></WorkerRole>
                  <WorkerRole name="B"><Endpoints><InputEndpoint name="e" protocol="tcp" port="80"/></Endpoints></WorkerRole>
                </ServiceDefinition>
                """);
        Path cscfg = Files.writeString(dir.resolve("ServiceConfiguration.cscfg"), "<ServiceConfiguration");
        LoadResult result = loader.load(csdef, cscfg);
        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("CSDEF108", "XML001");
        assertThat(result.diagnostics().get(0).file()).isEqualTo(csdef.toString());
        assertThat(result.diagnostics().get(0).line()).isEqualTo(4);
    }

    @Test
    void aMissingFileIsAnErrorNotAnException(@TempDir Path dir) {
        LoadResult result = loader.load(corpus(ORLEANS + "ServiceDefinition.csdef"), dir.resolve("missing.cscfg"));
        assertThat(result.ok()).isFalse();
        assertThat(result.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.severity()).isEqualTo(Severity.ERROR);
            assertThat(d.message()).contains("does not exist");
        });
    }

    @Test
    void inMemoryFilesUseTheirDisplayNames() throws IOException {
        byte[] csdef = Files.readAllBytes(corpus(ORLEANS + "ServiceDefinition.csdef"));
        byte[] cscfg = Files.readAllBytes(corpus(ORLEANS + "ServiceConfiguration.Local.cscfg"));
        LoadResult result = loader.load("pkg/ServiceDefinition.csdef", csdef, "Local.cscfg", cscfg);
        assertThat(result.diagnostics()).extracting(Diagnostic::file).containsOnly("Local.cscfg");
        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("SVC104", "SVC104");
        assertThat(result.errorCount()).isEqualTo(2);
        assertThat(result.ok()).isFalse();
        assertThat(result.definition()).isPresent();
        assertThat(result.configuration()).isPresent();
    }

    @Test
    void warningsDoNotFail() {
        String base = "mspnp__cloud-design-patterns/leader-election__LeaderElection__";
        LoadResult result = loader.load(corpus(base + "ServiceDefinition.csdef"), corpus(base + "ServiceConfiguration.Cloud.cscfg"));
        assertThat(result.warningCount()).isEqualTo(1);
        assertThat(result.ok()).isTrue();
    }

    @Test
    void aDefinitionAloneRunsTheDefinitionRules() {
        LoadResult result = loader.loadDefinition(corpus("smarx__packanddeploy/ServiceDefinition.csdef"));
        assertThat(result.diagnostics()).extracting(Diagnostic::code).as("run.cmd will not run on Linux").containsExactly("CSDEF127");
        assertThat(result.definition()).isPresent();
        assertThat(result.configuration()).isEmpty();
        assertThat(result.ok()).as("no configuration: not deployable").isFalse();
    }

    @Test
    void theCorpusTestNoticesAMissingOrAnExtraDiagnostic() {
        var at = new SourceText.Position(3, 34);
        var expected = new CorpusValidationTest.Expected("SVC104", Severity.ERROR, Path.of("a.cscfg"), at,
                java.util.List.of("WebRole", "X"));
        var hit = new Diagnostic("a.cscfg", 3, 34, Severity.ERROR, "SVC104", "role 'WebRole': setting 'X' ...", "fix");
        var extra = new Diagnostic("a.cscfg", 4, 1, Severity.WARNING, "SVC108", "schemaVersion", "fix");
        CorpusValidationTest.assertExactly(java.util.List.of(hit), java.util.List.of(expected));
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                CorpusValidationTest.assertExactly(java.util.List.of(hit, extra), java.util.List.of(expected)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("unexpected").hasMessageContaining("SVC108");
        var wrongColumn = new Diagnostic("a.cscfg", 3, 1, Severity.ERROR, "SVC104", "role 'WebRole': setting 'X'", "fix");
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                CorpusValidationTest.assertExactly(java.util.List.of(wrongColumn), java.util.List.of(expected)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("missing");
    }

    static Path corpus(String relative) {
        return CorpusValidationTest.corpus().resolve(relative);
    }
}
