package org.csemu.bench.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** The two inputs measured: the largest real pair of the shared corpus, and a generated 25-role service. */
final class ServiceModelInputs {

    /** A definition and a configuration, as bytes, with the names diagnostics would use. */
    record Pair(String label, String csdefName, byte[] csdef, String cscfgName, byte[] cscfg) {
        int bytes() {
            return csdef.length + cscfg.length;
        }
    }

    /** The corpus pairs (see ../shared/corpus/MANIFEST.tsv); the benchmark takes the largest. */
    private static final List<String[]> CORPUS_PAIRS = List.of(
            new String[] {"smarx__pythonrole/ServiceDefinition.csdef", "smarx__pythonrole/ServiceConfiguration.Cloud.cscfg"},
            new String[] {"Blackmist__rubyrole/ServiceDefinition.csdef", "Blackmist__rubyrole/ServiceConfiguration.Cloud.cscfg"},
            new String[] {"dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__ServiceDefinition.csdef",
                "dotnet__orleans/Samples__AzureWebSample__OrleansAzureSample__ServiceConfiguration.Cloud.cscfg"},
            new String[] {"kayone__Orchard/ServiceDefinition.csdef", "kayone__Orchard/ServiceConfiguration.cscfg"},
            new String[] {"NuGetArchive__NuGet.Services.Search/src__NuGet.Services.SecureSearch.CloudService__ServiceDefinition.csdef",
                "NuGetArchive__NuGet.Services.Search/src__NuGet.Services.SecureSearch.CloudService__ServiceConfiguration.Develop.cscfg"},
            new String[] {"markrendle__gotocms/site__ServiceDefinition.csdef", "markrendle__gotocms/ServiceConfiguration.Cloud.cscfg"});

    static final int GENERATED_ROLES = 25;
    static final int GENERATED_ENDPOINTS_PER_ROLE = 25;

    private ServiceModelInputs() {
    }

    static Pair largestCorpusPair() {
        Path corpus = corpusDirectory();
        return CORPUS_PAIRS.stream()
                .map(p -> new Pair("corpus " + p[0].substring(0, p[0].indexOf('/')), p[0], read(corpus.resolve(p[0])),
                        p[1], read(corpus.resolve(p[1]))))
                .max(Comparator.comparingInt(Pair::bytes))
                .orElseThrow();
    }

    /**
     * 25 worker roles, each with 25 tcp input endpoints on distinct VIP ports, settings, a Diagnostics import, local
     * storage and a startup task reading role-instance values; the configuration matches it exactly.
     */
    static Pair generated() {
        StringBuilder def = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ServiceDefinition name=\"Generated\" "
                + "xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\" schemaVersion=\"2015-04.2.6\">\n");
        StringBuilder cfg = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ServiceConfiguration serviceName=\"Generated\" "
                + "xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\" osFamily=\"6\" osVersion=\"*\" "
                + "schemaVersion=\"2015-04.2.6\">\n");
        for (int r = 1; r <= GENERATED_ROLES; r++) {
            String role = String.format("Role%02d", r);
            def.append("  <WorkerRole name=\"").append(role).append("\" vmsize=\"Small\">\n")
                    .append("    <Startup>\n      <Task commandLine=\"setup.cmd\" executionContext=\"elevated\">\n")
                    .append("        <Environment>\n")
                    .append("          <Variable name=\"PORT\"><RoleInstanceValue xpath=\"/RoleEnvironment/CurrentInstance/")
                    .append("Endpoints/Endpoint[@name='In01']/@port\"/></Variable>\n")
                    .append("          <Variable name=\"DATA\"><RoleInstanceValue xpath=\"/RoleEnvironment/CurrentInstance/")
                    .append("LocalResources/LocalResource[@name='data']/@path\"/></Variable>\n")
                    .append("        </Environment>\n      </Task>\n    </Startup>\n")
                    .append("    <Imports><Import moduleName=\"Diagnostics\"/></Imports>\n")
                    .append("    <LocalResources><LocalStorage name=\"data\" sizeInMB=\"100\"/></LocalResources>\n")
                    .append("    <ConfigurationSettings>\n");
            for (int s = 1; s <= 5; s++) {
                def.append("      <Setting name=\"Setting").append(s).append("\"/>\n");
            }
            def.append("    </ConfigurationSettings>\n    <Endpoints>\n");
            for (int e = 1; e <= GENERATED_ENDPOINTS_PER_ROLE; e++) {
                def.append(String.format("      <InputEndpoint name=\"In%02d\" protocol=\"tcp\" port=\"%d\" localPort=\"%d\"/>%n",
                        e, 10000 + r * 100 + e, 8000 + e));
            }
            def.append("    </Endpoints>\n  </WorkerRole>\n");
            cfg.append("  <Role name=\"").append(role).append("\">\n    <Instances count=\"1\"/>\n    <ConfigurationSettings>\n")
                    .append("      <Setting name=\"Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString\" ")
                    .append("value=\"UseDevelopmentStorage=true\"/>\n");
            for (int s = 1; s <= 5; s++) {
                cfg.append("      <Setting name=\"Setting").append(s).append("\" value=\"value ").append(s).append("\"/>\n");
            }
            cfg.append("    </ConfigurationSettings>\n  </Role>\n");
        }
        def.append("</ServiceDefinition>\n");
        cfg.append("</ServiceConfiguration>\n");
        return new Pair("generated 25 roles x 25 endpoints", "Generated.csdef", bytes(def), "Generated.cscfg", bytes(cfg));
    }

    static Path corpusDirectory() {
        String corpus = System.getProperty("csemu.corpus", System.getenv("CSEMU_CORPUS"));
        if (corpus == null) {
            throw new IllegalStateException("set -Dcsemu.corpus=<path to shared/corpus> (bench/core/run.sh does)");
        }
        return Path.of(corpus);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(CharSequence text) {
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
