package org.csemu.core.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.SAXParseException;

/** An external entity pointing at a real file is never resolved by any factory csemu parses foreign XML with. */
class SecureXmlTest {

    @TempDir
    Path dir;

    private String hostile() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the-secret");
        return "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
    }

    @Test
    void theDomFactoryRefusesADoctype() throws Exception {
        String xml = hostile();
        assertThatThrownBy(() -> SecureXml.documentBuilderFactory().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(SAXParseException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void theStaxFactoryNeverReadsTheEntitysFile() throws Exception {
        XMLStreamReader r = SecureXml.xmlInputFactory().createXMLStreamReader(new StringReader(hostile()));
        StringBuilder text = new StringBuilder();
        try {
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.CHARACTERS) {
                    text.append(r.getText());
                }
            }
        } catch (XMLStreamException refused) {
            // refusing the undeclared entity is as good as not expanding it
        }
        assertThat(text.toString()).doesNotContain("the-secret");
    }

    @Test
    void aPlainDocumentStillParses() throws Exception {
        assertThat(SecureXml.documentBuilderFactory().newDocumentBuilder()
                .parse(new ByteArrayInputStream("<r a=\"1\"/>".getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement().getAttribute("a")).isEqualTo("1");
    }
}
