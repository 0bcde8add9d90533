package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;

import org.csemu.core.diag.Diagnostic;
import org.junit.jupiter.api.Test;

class ParserInfrastructureTest {

    @Test
    void schemasAndJaxbContextsAreBuiltOnceAndShared() {
        assertThat(SchemaRegistry.get(DocumentKind.DEFINITION)).isSameAs(SchemaRegistry.get(DocumentKind.DEFINITION));
        assertThat(SchemaRegistry.get(DocumentKind.CONFIGURATION).context())
                .isSameAs(SchemaRegistry.get(DocumentKind.CONFIGURATION).context());
        assertThat(SchemaRegistry.class.getResource("/org/csemu/schemas/ServiceDefinitionSchema.xsd")).isNotNull();
        assertThat(SchemaRegistry.class.getResource("/org/csemu/schemas/ServiceConfigurationSchema.xsd")).isNotNull();
    }

    @Test
    void messagesAreTranslatedWhateverTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String doc = TestFiles.worker("    <Endpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"0\"/></Endpoints>\n");
            Diagnostic d = new ServiceModelParser().parseDefinition("l.csdef", TestFiles.utf8(doc)).diagnostics().get(0);
            assertThat(d.code()).isEqualTo("CSDEF003");
            assertThat(d.message()).startsWith("InputEndpoint@port '0' is out of range");
            Diagnostic malformed = new ServiceModelParser().parseDefinition("m.csdef", TestFiles.utf8("<ServiceDefinition")).diagnostics().get(0);
            assertThat(malformed.code()).isEqualTo("XML001");
            assertThat(malformed.message()).contains("XML document structures must start and end within the same entity");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> ParserLimits.defaults().withMaxElementDepth(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ParserLimits(1, 1, 1, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxEntityExpansions");
        assertThat(ParserLimits.defaults().maxFileBytes()).isEqualTo(4L * 1024 * 1024);
    }

    @Test
    void parserIsSafeToShareBetweenThreads() throws Exception {
        ServiceModelParser parser = new ServiceModelParser();
        byte[] good = TestFiles.utf8(TestFiles.worker(""));
        byte[] bad = TestFiles.utf8(TestFiles.worker("    <Endpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"0\"/></Endpoints>\n"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Boolean>>();
            for (int i = 0; i < 200; i++) {
                boolean valid = i % 2 == 0;
                futures.add(pool.submit(() -> parser.parseDefinition("t.csdef", valid ? good : bad).ok() == valid));
            }
            for (var f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
