package org.csemu.core.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.xml.XMLConstants;

import org.junit.jupiter.api.Test;

/**
 * The per-thread reuse of the reader, validator and unmarshaller ({@link ParsePipeline}) changes nothing a caller can
 * see: a reused pipeline gives exactly what a fresh one gives, on any thread, and a hostile file is refused just the
 * same right after a good one (and a good file is read correctly right after a hostile one).
 */
class PipelineReuseTest {

    private static final ServiceModelParser PARSER = new ServiceModelParser();

    /** One document to parse, with its kind. */
    private record Input(String name, byte[] content) {
        ParseResult<?> parseWith(ServiceModelParser parser) {
            return name.endsWith(".cscfg") ? parser.parseConfiguration(name, content) : parser.parseDefinition(name, content);
        }
    }

    @Test
    void manyFilesParsedConcurrentlyGiveWhatAFreshPipelineGives() throws Exception {
        List<Input> inputs = new ArrayList<>();
        for (Path file : TestFiles.corpusModelFiles()) {
            inputs.add(new Input(file.toString(), Files.readAllBytes(file)));
        }
        inputs.addAll(hostileAndBrokenInputs());
        assertThat(inputs).hasSizeGreaterThan(20);

        // the expected result of each: parsed on a thread of its own, i.e. by a pipeline that has read nothing before
        List<ParseResult<?>> expected = new ArrayList<>();
        for (Input input : inputs) {
            expected.add(CompletableFuture.supplyAsync(() -> input.parseWith(PARSER), runnable -> new Thread(runnable).start())
                    .get(30, TimeUnit.SECONDS));
        }
        assertThat(expected).anyMatch(ParseResult::ok).anyMatch(r -> !r.ok());

        int threads = 4;
        int rounds = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 7;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> mismatches = new ArrayList<>();
                    // each thread walks the inputs from a different place, so good and hostile files interleave differently
                    for (int i = 0; i < rounds * inputs.size(); i++) {
                        int index = (offset + i) % inputs.size();
                        ParseResult<?> actual = inputs.get(index).parseWith(PARSER);
                        if (!actual.equals(expected.get(index))) {
                            mismatches.add(inputs.get(index).name() + ": " + actual.diagnostics() + " instead of " + expected.get(index).diagnostics());
                        }
                    }
                    return mismatches;
                }));
            }
            start.countDown();
            for (Future<List<String>> future : futures) {
                assertThat(future.get(120, TimeUnit.SECONDS)).isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void hostileFilesAreRefusedAfterGoodOnesAndGoodFilesReadAfterHostileOnes() {
        byte[] good = TestFiles.utf8(TestFiles.worker("    <ConfigurationSettings><Setting name=\"S\"/></ConfigurationSettings>\n"));
        ParseResult<?> fresh = PARSER.parseDefinition("good.csdef", good);
        assertThat(fresh.ok()).isTrue();
        for (int round = 0; round < 3; round++) {
            for (Input hostile : hostileAndBrokenInputs()) {
                String expectedCode = hostile.name().substring(0, hostile.name().indexOf('-'));
                ParseResult<?> refused = hostile.parseWith(PARSER);
                assertThat(refused.model()).as(hostile.name()).isEmpty();
                assertThat(refused.diagnostics()).as(hostile.name()).isNotEmpty()
                        .allSatisfy(d -> assertThat(d.code()).isEqualTo(expectedCode));
                assertThat(PARSER.parseDefinition("good.csdef", good)).as("good after " + hostile.name()).isEqualTo(fresh);
            }
        }
    }

    @Test
    void theJdkAttributeLimitStillHoldsOnAReusedReader() {
        byte[] good = TestFiles.utf8(TestFiles.worker(""));
        for (int round = 0; round < 3; round++) {
            assertThat(PARSER.parseDefinition("good.csdef", good).ok()).isTrue();
            ParseResult<?> refused = PARSER.parseDefinition("attrs.csdef", manyAttributes());
            assertThat(refused.model()).isEmpty();
            assertThat(refused.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.code()).isEqualTo("XML008");
                assertThat(d.message()).contains("256");
            });
        }
    }

    @Test
    void aSchemaLocationHintIsNeverFetchedByAReusedValidator() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(300);
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/evil.xsd";
            byte[] hint = TestFiles.utf8("<?xml version=\"1.0\"?>\n<ServiceDefinition name=\"S\" xmlns=\"" + TestFiles.CSDEF_NS + "\""
                    + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"" + TestFiles.CSDEF_NS + " " + url + "\">"
                    + "<WorkerRole name=\"W\"/></ServiceDefinition>\n");
            for (int i = 0; i < 3; i++) {
                assertThat(PARSER.parseDefinition("good.csdef", TestFiles.utf8(TestFiles.worker(""))).ok()).isTrue();
                assertThat(PARSER.parseDefinition("hint.csdef", hint).ok()).isTrue();
            }
            try (Socket accepted = listener.accept()) {
                throw new AssertionError("the parser connected to " + accepted.getRemoteSocketAddress());
            } catch (SocketTimeoutException expected) {
                // nobody connected
            }
        }
    }

    @Test
    void parsersWithDifferentLimitsShareAThreadWithoutSharingLimits() {
        ServiceModelParser strict = new ServiceModelParser(ParserLimits.defaults().withMaxElements(1000).withMaxElementDepth(3));
        byte[] many = TestFiles.utf8(TestFiles.worker("    <ConfigurationSettings>" + "<Setting name=\"s\"/>".repeat(2000)
                + "</ConfigurationSettings>\n"));
        for (int round = 0; round < 2; round++) {
            assertThat(strict.parseDefinition("many.csdef", many).diagnostics()).extracting(d -> d.code()).containsExactly("XML004");
            assertThat(PARSER.parseDefinition("many.csdef", many).ok()).isTrue();
        }
    }

    @Test
    void featuresAndLimitsAreStillSetAfterReuse() throws Exception {
        assertThat(PARSER.parseDefinition("good.csdef", TestFiles.utf8(TestFiles.worker(""))).ok()).isTrue();
        assertThat(PARSER.parseDefinition("doctype.csdef", TestFiles.utf8("<!DOCTYPE x []><x/>")).ok()).isFalse();
        ParsePipeline pipeline = ParsePipeline.acquire();
        try {
            var reader = pipeline.reader(ParserLimits.defaults().withMaxElementDepth(9));
            assertThat(reader.getFeature("http://apache.org/xml/features/disallow-doctype-decl")).isTrue();
            assertThat(reader.getFeature("http://xml.org/sax/features/external-general-entities")).isFalse();
            assertThat(reader.getFeature("http://xml.org/sax/features/external-parameter-entities")).isFalse();
            assertThat(reader.getFeature(XMLConstants.FEATURE_SECURE_PROCESSING)).isTrue();
            assertThat(reader.getProperty(XMLConstants.ACCESS_EXTERNAL_DTD)).isEqualTo("");
            assertThat(reader.getProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA)).isEqualTo("");
            assertThat(String.valueOf(reader.getProperty("http://www.oracle.com/xml/jaxp/properties/maxElementDepth"))).isEqualTo("10");
            assertThat(String.valueOf(pipeline.reader(ParserLimits.defaults())
                    .getProperty("http://www.oracle.com/xml/jaxp/properties/maxElementDepth")))
                    .isEqualTo(String.valueOf(ParserLimits.DEFAULT_MAX_ELEMENT_DEPTH + 1));
            // the validator handler accepts but does not report its access properties: what they do after reuse is
            // checked by aSchemaLocationHintIsNeverFetchedByAReusedValidator
        } finally {
            pipeline.release();
        }
    }

    @Test
    void aThreadsPipelineIsReusedButNeverHandedOutTwiceAtOnce() {
        ParsePipeline outer = ParsePipeline.acquire();
        try {
            ParsePipeline inner = ParsePipeline.acquire();
            try {
                assertThat(inner).isNotSameAs(outer);
                // a parse while this thread's own pipeline is in use works, on a private one
                assertThat(PARSER.parseDefinition("good.csdef", TestFiles.utf8(TestFiles.worker(""))).ok()).isTrue();
            } finally {
                inner.release();
            }
        } finally {
            outer.release();
        }
        ParsePipeline again = ParsePipeline.acquire();
        again.release();
        assertThat(again).isSameAs(outer);
    }

    /** Each name starts with the code it must be refused with. */
    private static List<Input> hostileAndBrokenInputs() {
        String ns = TestFiles.CSDEF_NS;
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            String previous = i == 1 ? "&lol;" : "&lol" + (i - 1) + ";";
            laughs.append(" <!ENTITY lol").append(i).append(" \"").append(previous.repeat(10)).append("\">\n");
        }
        laughs.append("]>\n<ServiceDefinition name=\"&lol9;\" xmlns=\"").append(ns).append("\"/>\n");
        String deep = "<ServiceDefinition name=\"S\" xmlns=\"" + ns + "\">" + "<a>".repeat(500) + "</a>".repeat(500) + "</ServiceDefinition>";
        return List.of(
                new Input("XML002-xxe.csdef", TestFiles.utf8("<?xml version=\"1.0\"?>\n<!DOCTYPE ServiceDefinition [<!ENTITY xxe SYSTEM "
                        + "\"file:///etc/passwd\">]>\n<ServiceDefinition name=\"&xxe;\" xmlns=\"" + ns + "\"><WorkerRole name=\"W\"/></ServiceDefinition>\n")),
                new Input("XML002-laughs.csdef", TestFiles.utf8(laughs.toString())),
                new Input("XML004-deep.csdef", TestFiles.utf8(deep)),
                new Input("XML008-attributes.csdef", manyAttributes()),
                new Input("XML005-attribute.csdef", TestFiles.utf8(TestFiles.worker("").replace("name=\"Worker\"",
                        "name=\"" + "a".repeat(ParserLimits.DEFAULT_MAX_ATTRIBUTE_BYTES + 1) + "\""))),
                new Input("XML001-truncated.csdef", TestFiles.utf8(TestFiles.worker("").substring(0, 120))),
                new Input("XML001-entity.csdef", TestFiles.utf8(TestFiles.worker("").replace("name=\"Worker\"", "name=\"&nbsp;\""))),
                new Input("XML006-swapped.csdef", TestFiles.utf8(TestFiles.configuration(""))),
                new Input("XML006-root.cscfg", TestFiles.utf8(TestFiles.worker(""))),
                new Input("CSDEF003-port.csdef", TestFiles.utf8(TestFiles.worker(
                        "    <Endpoints><InputEndpoint name=\"In\" protocol=\"tcp\" port=\"70000\"/></Endpoints>\n"))),
                new Input("CSDEF001-element.csdef", TestFiles.utf8(TestFiles.worker("    <Bogus/>\n"))));
    }

    private static byte[] manyAttributes() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            attributes.append(" a").append(i).append("=\"v\"");
        }
        return TestFiles.utf8(TestFiles.worker("").replace("name=\"Worker\"", "name=\"Worker\"" + attributes));
    }
}
