package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.csemu.core.model.ServiceDefinition;
import org.junit.jupiter.api.Test;

/** Byte-order marks and line ends that real tools write. */
class EncodingTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    private static byte[] withBom(byte[] bom, String text, Charset charset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bom);
        out.write(text.getBytes(charset));
        return out.toByteArray();
    }

    private static String definition(String declaredEncoding) {
        return TestFiles.worker("    <Endpoints><InputEndpoint name=\"HttpIn\" protocol=\"http\" port=\"80\"/></Endpoints>\n")
                .replace("encoding=\"utf-8\"", "encoding=\"" + declaredEncoding + "\"");
    }

    private static void assertParses(byte[] content) {
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition("e.csdef", content);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.model().orElseThrow().roles().get(0).endpoints().input().get(0).port()).isEqualTo(80);
    }

    @Test
    void utf8WithBom() throws IOException {
        assertParses(withBom(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, definition("utf-8"), StandardCharsets.UTF_8));
    }

    @Test
    void utf16LittleEndianWithBom() throws IOException {
        assertParses(withBom(new byte[] {(byte) 0xFF, (byte) 0xFE}, definition("utf-16"), StandardCharsets.UTF_16LE));
    }

    @Test
    void utf16BigEndianWithBom() throws IOException {
        assertParses(withBom(new byte[] {(byte) 0xFE, (byte) 0xFF}, definition("utf-16"), StandardCharsets.UTF_16BE));
    }

    @Test
    void crlfLineEndsKeepLineNumbers(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = dir.resolve("ServiceDefinition.csdef");
        Files.writeString(file, definition("utf-8").replace("\n", "\r\n"));
        ParseResult<ServiceDefinition> result = PARSER.parseDefinition(file);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.model().orElseThrow().roles().get(0).endpoints().input().get(0).location().line()).isEqualTo(4);
        assertThat(result.model().orElseThrow().roles().get(0).location().file()).isEqualTo(file.toString());
    }
}
