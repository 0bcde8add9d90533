package org.csemu.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.csemu.core.corpus.CorpusFiles;
import org.csemu.core.diag.Diagnostic;
import org.csemu.core.parse.ServiceModelParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation keeps going: a schema error in one place does not hide the cross-file errors elsewhere, and the
 * diagnostics name what is at fault (the module the role imports, the certificate).
 */
class ValidationPastErrorsTest {

    private static final String ORLEANS = "dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__";

    private final ServiceModelLoader loader =
            new ServiceModelLoader(new ServiceModelParser(), new ServiceModelValidator(ValidationLimits.defaults()));

    @Test
    void aMissingSettingIsReportedNextToAnUnknownAttribute(@TempDir Path dir) throws IOException {
        // the orleans Local configuration lacks the Diagnostics connection string of both roles (SVC104, see the
        // manifest); a misspelt attribute on one of its roles must not hide that
        String text = Files.readString(CorpusFiles.file(ORLEANS + "ServiceConfiguration.Local.cscfg"), StandardCharsets.UTF_8);
        Path cscfg = Files.writeString(dir.resolve("ServiceConfiguration.Local.cscfg"),
                text.replaceFirst("<Role name=\"WebRole\"", "<Role name=\"WebRole\" vmname=\"web\""), StandardCharsets.UTF_8);
        LoadResult result = loader.load(CorpusFiles.file(ORLEANS + "ServiceDefinition.csdef"), cscfg);

        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactlyInAnyOrder("CSCFG008", "SVC104", "SVC104");
        assertThat(result.ok()).isFalse();
        assertThat(result.configuration()).as("a file with an error is never deployed").isEmpty();
        assertThat(result.diagnostics()).filteredOn(d -> d.code().equals("SVC104")).extracting(Diagnostic::message)
                .allMatch(m -> m.contains("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString"));
    }

    @Test
    void anUnknownSettingOfAnImportedModuleListsTheModulesRealSettings(@TempDir Path dir) throws IOException {
        Path csdef = Files.writeString(dir.resolve("ServiceDefinition.csdef"), """
                <?xml version="1.0"?>
                <ServiceDefinition name="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WorkerRole name="W"><Imports><Import moduleName="Caching"/></Imports></WorkerRole>
                </ServiceDefinition>
                """);
        Path cscfg = Files.writeString(dir.resolve("ServiceConfiguration.cscfg"), """
                <?xml version="1.0"?>
                <ServiceConfiguration serviceName="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">
                  <Role name="W"><Instances count="1"/><ConfigurationSettings>
                    <Setting name="Microsoft.WindowsAzure.Plugins.Caching.NamedCaches" value=""/>
                    <Setting name="Microsoft.WindowsAzure.Plugins.Caching.CacheSizePercentage" value="30"/>
                    <Setting name="Microsoft.WindowsAzure.Plugins.Caching.ConfigStoreConnectionString" value="UseDevelopmentStorage=true"/>
                    <Setting name="Microsoft.WindowsAzure.Plugins.Caching.Bogus" value="1"/>
                  </ConfigurationSettings></Role>
                </ServiceConfiguration>
                """);
        LoadResult result = loader.load(csdef, cscfg);
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.code()).isEqualTo("SVC105");
        assertThat(d.message()).isEqualTo("role 'W': setting 'Microsoft.WindowsAzure.Plugins.Caching.Bogus' is not a setting of the "
                + "Caching module, which the role imports");
        assertThat(d.fix()).doesNotContain("add <Import").contains("Microsoft.WindowsAzure.Plugins.Caching.NamedCaches",
                "Microsoft.WindowsAzure.Plugins.Caching.DiagnosticLevel");
    }

    @Test
    void aThumbprintThatIsNotHexNamesTheCertificate(@TempDir Path dir) throws IOException {
        Path csdef = Files.writeString(dir.resolve("ServiceDefinition.csdef"), """
                <?xml version="1.0"?>
                <ServiceDefinition name="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
                  <WorkerRole name="W"><Certificates><Certificate name="SSL" storeLocation="LocalMachine" storeName="My"/></Certificates></WorkerRole>
                </ServiceDefinition>
                """);
        Path cscfg = Files.writeString(dir.resolve("ServiceConfiguration.cscfg"), """
                <?xml version="1.0"?>
                <ServiceConfiguration serviceName="s" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">
                  <Role name="W"><Instances count="1"/><Certificates>
                    <Certificate name="SSL" thumbprint="not-a-thumbprint" thumbprintAlgorithm="sha1"/>
                  </Certificates></Role>
                </ServiceConfiguration>
                """);
        LoadResult result = loader.load(csdef, cscfg);
        assertThat(result.diagnostics()).extracting(Diagnostic::code).containsExactly("CSCFG005");
        assertThat(result.diagnostics().get(0).message()).contains("'not-a-thumbprint'").endsWith("(Certificate 'SSL' in Role 'W')");
    }
}
