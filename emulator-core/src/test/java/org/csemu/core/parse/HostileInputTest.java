package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.csemu.core.diag.Diagnostic;
import org.csemu.core.model.ServiceDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile documents: each is refused within a second with a clear diagnostic, and nothing is read from disk or
 * fetched from the network on its behalf.
 */
class HostileInputTest {

    private static final Duration LIMIT = Duration.ofSeconds(1);
    private static final ServiceModelParser PARSER = new ServiceModelParser();

    static {
        // compile the schemas and JAXB contexts outside the timed sections: that cost is paid once per JVM
        PARSER.parseDefinition("warmup.csdef", TestFiles.utf8(TestFiles.worker("")));
    }

    private static ParseResult<ServiceDefinition> parse(byte[] content) {
        return assertTimeoutPreemptively(LIMIT, () -> PARSER.parseDefinition("hostile.csdef", content));
    }

    private static Diagnostic refused(ParseResult<?> result, String code) {
        assertThat(result.model()).isEmpty();
        assertThat(result.diagnostics()).hasSize(1);
        Diagnostic d = result.diagnostics().get(0);
        assertThat(d.code()).isEqualTo(code);
        assertThat(d.isError()).isTrue();
        return d;
    }

    @Test
    void externalEntityReadingPasswdIsRefused() throws IOException {
        String xxe = "<?xml version=\"1.0\"?>\n"
                + "<!DOCTYPE ServiceDefinition [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
                + "<ServiceDefinition name=\"&xxe;\" xmlns=\"" + TestFiles.CSDEF_NS + "\"><WorkerRole name=\"&xxe;\"/></ServiceDefinition>\n";
        Diagnostic d = refused(parse(TestFiles.utf8(xxe)), "XML002");
        assertThat(d.line()).isEqualTo(2);
        assertThat(d.message()).contains("DOCTYPE");
        String passwdStart = Files.exists(Path.of("/etc/passwd")) ? Files.readAllLines(Path.of("/etc/passwd")).get(0) : "root:x:0:0";
        assertThat(d.format()).doesNotContain(passwdStart).doesNotContain("root:");
    }

    @Test
    void externalEntityAndExternalDtdOverTheNetworkAreNeverFetched() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/evil";
            String entity = "<?xml version=\"1.0\"?>\n<!DOCTYPE ServiceDefinition [<!ENTITY net SYSTEM \"" + url + "\">]>\n"
                    + "<ServiceDefinition name=\"&net;\" xmlns=\"" + TestFiles.CSDEF_NS + "\"><WorkerRole name=\"W\"/></ServiceDefinition>\n";
            String dtd = "<?xml version=\"1.0\"?>\n<!DOCTYPE ServiceDefinition SYSTEM \"" + url + ".dtd\">\n"
                    + "<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\"><WorkerRole name=\"W\"/></ServiceDefinition>\n";
            String parameterEntity = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY % p SYSTEM \"" + url + ".pe\"> %p;]>\n<x/>\n";
            // a valid document whose schema-location hint points at the listener: the validator must ignore it
            String hint = "<?xml version=\"1.0\"?>\n<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\""
                    + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"" + TestFiles.CSDEF_NS + " " + url + ".xsd\">"
                    + "<WorkerRole name=\"W\"/></ServiceDefinition>\n";

            refused(parse(TestFiles.utf8(entity)), "XML002");
            refused(parse(TestFiles.utf8(dtd)), "XML002");
            refused(parse(TestFiles.utf8(parameterEntity)), "XML002");
            assertThat(parse(TestFiles.utf8(hint)).ok()).isTrue();

            try (Socket accepted = listener.accept()) {
                throw new AssertionError("the parser connected to " + accepted.getRemoteSocketAddress());
            } catch (SocketTimeoutException expected) {
                // nobody connected
            }
        }
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            doc.append(" <!ENTITY lol").append(i).append(" \"");
            String previous = i == 1 ? "&lol;" : "&lol" + (i - 1) + ";";
            doc.append(previous.repeat(10)).append("\">\n");
        }
        doc.append("]>\n<ServiceDefinition name=\"&lol9;\" xmlns=\"").append(TestFiles.CSDEF_NS).append("\"/>\n");
        refused(parse(TestFiles.utf8(doc.toString())), "XML002");
    }

    @Test
    void fiftyMegabyteAttributeIsRefusedWithoutParsing() {
        byte[] doc = hugeAttributeDocument(50 * 1024 * 1024);
        Diagnostic d = refused(parse(doc), "XML003");
        assertThat(d.message()).contains("more than the limit of " + ParserLimits.DEFAULT_MAX_FILE_BYTES + " bytes");
    }

    @Test
    void fiftyMegabyteAttributeIsRefusedBeforeParsingEvenWhenTheFileLimitAllowsIt() {
        ServiceModelParser generous = new ServiceModelParser(ParserLimits.defaults().withMaxFileBytes(64L * 1024 * 1024));
        byte[] doc = hugeAttributeDocument(50 * 1024 * 1024);
        ParseResult<ServiceDefinition> result = assertTimeoutPreemptively(LIMIT, () -> generous.parseDefinition("attr.csdef", doc));
        Diagnostic d = refused(result, "XML005");
        assertThat(d.line()).isEqualTo(2);
        assertThat(d.message()).contains("without any markup", "not parsed");
    }

    @Test
    void utf16HugeAttributeIsFoundInTwoByteUnits() {
        String head = "<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n<WorkerRole name=\"";
        // U+013C has the byte 0x3C in UTF-16LE: a byte-wise scan would be fooled, a unit-wise one is not
        String doc = "\uFEFF" + head + "\u013C".repeat(1_100_000) + "\"/></ServiceDefinition>";
        ServiceModelParser generous = new ServiceModelParser(ParserLimits.defaults().withMaxFileBytes(8L * 1024 * 1024));
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_16LE);
        Diagnostic d = refused(assertTimeoutPreemptively(LIMIT, () -> generous.parseDefinition("u16.csdef", bytes)), "XML005");
        assertThat(d.line()).isEqualTo(2);
    }

    @Test
    void longAttributeWithinTheFileLimitIsRefusedByTheAttributeLimit() {
        byte[] doc = hugeAttributeDocument(ParserLimits.DEFAULT_MAX_ATTRIBUTE_BYTES + 1);
        Diagnostic d = refused(parse(doc), "XML005");
        assertThat(d.message()).isEqualTo("WorkerRole@name is longer than " + ParserLimits.DEFAULT_MAX_ATTRIBUTE_BYTES + " bytes");
        assertThat(d.line()).isEqualTo(2);
    }

    @Test
    void tooDeepDocumentIsRefused() {
        int depth = 100_000;
        StringBuilder doc = new StringBuilder("<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\">");
        doc.append("<a>".repeat(depth)).append("</a>".repeat(depth)).append("</ServiceDefinition>");
        Diagnostic d = refused(parse(TestFiles.utf8(doc.toString())), "XML004");
        assertThat(d.message()).contains("deeper than " + ParserLimits.DEFAULT_MAX_ELEMENT_DEPTH);
    }

    @Test
    void tooManyElementsAreRefused() {
        ServiceModelParser strict = new ServiceModelParser(ParserLimits.defaults().withMaxElements(1000));
        String doc = TestFiles.worker("    <ConfigurationSettings>" + "<Setting name=\"s\"/>".repeat(2000) + "</ConfigurationSettings>\n");
        ParseResult<ServiceDefinition> result = assertTimeoutPreemptively(LIMIT, () -> strict.parseDefinition("many.csdef", TestFiles.utf8(doc)));
        refused(result, "XML008");
    }

    @Test
    void oversizeFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ServiceDefinition.csdef");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(TestFiles.utf8(TestFiles.worker("")));
            byte[] padding = new byte[1024 * 1024];
            Arrays.fill(padding, (byte) ' ');
            for (int i = 0; i < 5; i++) {
                out.write(padding);
            }
        }
        ParseResult<ServiceDefinition> result = assertTimeoutPreemptively(LIMIT, () -> PARSER.parseDefinition(file));
        Diagnostic d = refused(result, "XML003");
        assertThat(d.file()).isEqualTo(file.toString());
        assertThat(d.message()).contains("it was not read");

        ServiceModelParser small = new ServiceModelParser(ParserLimits.defaults().withMaxFileBytes(100));
        refused(small.parseDefinition("small.csdef", TestFiles.utf8(TestFiles.worker(""))), "XML003");
    }

    @Test
    void missingFileIsReported(@TempDir Path dir) {
        Diagnostic d = refused(PARSER.parseDefinition(dir.resolve("nope.csdef")), "XML007");
        assertThat(d.message()).contains("does not exist");
        refused(PARSER.parseDefinition(dir), "XML007");
    }

    private static byte[] hugeAttributeDocument(int attributeBytes) {
        byte[] head = ("<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\">\n<WorkerRole name=\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"/>\n</ServiceDefinition>\n".getBytes(StandardCharsets.UTF_8);
        byte[] doc = new byte[head.length + attributeBytes + tail.length];
        System.arraycopy(head, 0, doc, 0, head.length);
        Arrays.fill(doc, head.length, head.length + attributeBytes, (byte) 'a');
        System.arraycopy(tail, 0, doc, head.length + attributeBytes, tail.length);
        return doc;
    }
}
