package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceDefinition;
import org.junit.jupiter.api.Test;

/**
 * A document that is not well-formed gets exactly one XML001 at the real position of the error.
 *
 * <p>The corpus turned out to hold no malformed file (every file there is well-formed, checked with two
 * parsers), so malformed.csdef is a corpus file (smarx/packanddeploy, CRLF) with the closing quote of InputEndpoint@port removed on line 18: the parser
 * runs on inside the attribute value until the '<' of the next line.
 */
class WellFormednessTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    @Test
    void missingQuoteIsReportedAtItsLineAndColumn() {
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition(TestFiles.resource("malformed.csdef"));

        assertThat(result.model()).isEmpty();
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.code()).isEqualTo("XML001");
        assertThat(d.line()).isEqualTo(19);
        assertThat(d.column()).as("the < that ends the unterminated attribute value").isEqualTo(9);
        assertThat(d.message()).startsWith("not well-formed XML: ");
    }

    @Test
    void unclosedElement() {
        String doc = "<?xml version=\"1.0\"?>\n<ServiceDefinition name=\"x\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n  <WorkerRole name=\"W\">\n</ServiceDefinition>\n";
        Diagnostic d = PARSER.parseDefinition("u.csdef", TestFiles.utf8(doc)).diagnostics().get(0);
        assertThat(d.code()).isEqualTo("XML001");
        assertThat(d.line()).isEqualTo(4);
        assertThat(d.column()).isEqualTo(3);
        assertThat(d.message()).contains("WorkerRole");
    }

    @Test
    void emptyAndTruncatedFiles() {
        assertThat(PARSER.parseDefinition("e.csdef", new byte[0]).diagnostics()).extracting(Diagnostic::code).containsExactly("XML001");
        Diagnostic truncated = PARSER.parseConfiguration("t.cscfg", TestFiles.utf8("<?xml version=\"1.0\"?>\n<ServiceConfiguration")).diagnostics().get(0);
        assertThat(truncated.code()).isEqualTo("XML001");
        assertThat(truncated.line()).isEqualTo(2);
    }

    @Test
    void undeclaredEntityIsNotWellFormed() {
        String doc = TestFiles.worker("").replace("name=\"Worker\"", "name=\"&nbsp;\"");
        Diagnostic d = PARSER.parseDefinition("n.csdef", TestFiles.utf8(doc)).diagnostics().get(0);
        assertThat(d.code()).isEqualTo("XML001");
        assertThat(d.line()).isEqualTo(3);
        assertThat(d.message()).contains("nbsp");
    }
}
