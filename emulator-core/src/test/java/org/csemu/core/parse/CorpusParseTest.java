package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.csemu.core.diag.Diagnostic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real-world service model of the in-project corpus parses without error, as the cloud accepts them. */
class CorpusParseTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    static List<Path> corpusFiles() {
        return TestFiles.corpusModelFiles();
    }

    @Test
    void theCorpusIsThere() {
        assertThat(corpusFiles()).hasSizeGreaterThanOrEqualTo(20);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void parsesWithoutErrors(Path file) {
        ParseResult<?> result = file.toString().endsWith(".csdef") ? PARSER.parseDefinition(file) : PARSER.parseConfiguration(file);

        assertThat(result.diagnostics()).extracting(Diagnostic::format).isEmpty();
        assertThat(result.ok()).isTrue();
        assertThat(result.model()).isPresent();
    }
}
