package org.csemu.core.pkg;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.csemu.core.corpus.CorpusFiles;
import org.csemu.core.model.ContentMapping;
import org.csemu.core.model.RoleDefinition;
import org.csemu.core.model.ServiceDefinition;
import org.csemu.core.model.Site;
import org.csemu.core.parse.ParseResult;
import org.csemu.core.parse.ServiceModelParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every definition of the corpus: model → package → read back gives the same model (parsed from the packaged bytes)
 * and the same bytes of every file; building twice gives the same package bytes.
 */
class CorpusPackageRoundTripTest {

    private final ServiceModelParser parser = new ServiceModelParser();

    @TempDir
    Path dir;

    static List<Path> definitions() {
        return CorpusFiles.definitions();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("definitions")
    void round_trips(Path corpusCsdef) throws Exception {
        Path csdef = dir.resolve("svc/ServiceDefinition.csdef");
        Files.createDirectories(csdef.getParent());
        Files.copy(corpusCsdef, csdef);
        ParseResult<ServiceDefinition> original = parser.parseDefinition("ServiceDefinition.csdef", Files.readAllBytes(csdef));
        assertThat(original.ok()).as(original.diagnostics().toString()).isTrue();
        ServiceDefinition definition = original.model().orElseThrow();

        Path first = build(csdef, definition, "a.cspkg");
        Path second = build(csdef, definition, "b.cspkg");
        assertThat(Files.readAllBytes(second)).as("deterministic").isEqualTo(Files.readAllBytes(first));

        try (PackageReader reader = PackageReader.open(first)) {
            assertThat(reader.definitionBytes()).isEqualTo(Files.readAllBytes(corpusCsdef));
            ParseResult<ServiceDefinition> again = parser.parseDefinition("ServiceDefinition.csdef", reader.definitionBytes());
            assertThat(again.model()).contains(definition);
            assertThat(reader.roleNames()).containsExactlyElementsOf(definition.roles().stream().map(RoleDefinition::name).toList());
            for (RoleDefinition role : definition.roles()) {
                Path out = reader.extractRole(role.name(), dir.resolve("out/" + role.name()));
                assertThat(out.resolve("approot/bin/" + role.name() + ".txt")).hasContent("content of " + role.name());
                assertThat(Files.readAllBytes(out.resolve("approot/data.bin"))).isEqualTo(data(role.name()));
                for (int i = 0; i < role.sites().size(); i++) {
                    assertThat(out.resolve("sitesroot/" + i + "/index.html")).hasContent(role.sites().get(i).name());
                }
            }
        }
    }

    private Path build(Path csdef, ServiceDefinition definition, String name) throws Exception {
        PackageBuilder b = PackageBuilder.forDefinitionFile(csdef, parser);
        for (RoleDefinition role : definition.roles()) {
            Path content = dir.resolve("content/" + role.name());
            if (!Files.exists(content)) {
                Files.createDirectories(content.resolve("bin"));
                Files.writeString(content.resolve("bin/" + role.name() + ".txt"), "content of " + role.name());
                Files.write(content.resolve("data.bin"), data(role.name()));
            }
            b.role(role.name(), content);
            for (ContentMapping mapping : role.contents()) {
                // real models name the build machine's folders (C:\Users\...\WebRole1Content\): give them one here
                Files.createDirectories(csdef.getParent().resolve(mapping.sourceDirectory().replace('\\', '/')).normalize());
            }
            for (Site site : role.sites()) {
                Path siteDir = dir.resolve("sites/" + role.name() + "/" + site.name());
                if (!Files.exists(siteDir)) {
                    Files.createDirectories(siteDir);
                    Files.writeString(siteDir.resolve("index.html"), site.name());
                }
                b.site(new SiteContent(role.name(), site.name(), siteDir));
            }
        }
        BuildResult r = b.build(dir.resolve(name));
        return r.output();
    }

    private static byte[] data(String seed) {
        byte[] b = new byte[70_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed.hashCode() * 7 + i * i);
        }
        return b;
    }
}
